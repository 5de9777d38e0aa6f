#!/usr/bin/env bash
# Makes a small Python base image with no registry and no Docker daemon: this machine's
# /usr/bin/python3 and its standard library (tests, IDLE, tkinter, ensurepip and
# lib2to3 left out), Debian's grpcio and protobuf (python3-grpcio, python3-protobuf from
# /usr/lib/python3/dist-packages), the shared libraries ldd lists for the interpreter and
# every extension module, the Python watcher at /opt/dcf/watcher (the `python` runtime's
# base, docs/runtimes.md), /etc/passwd with the numeric non-root user 10001, /tmp (1777).
# Written as a docker-save tarball: use it as `tar://OUT` with Jib
# (FunctionImages.python("tar://OUT", ...)).
#
#   runtimes/base/make-python-base.sh [--tag NAME:TAG] OUT.tar
set -euo pipefail
umask 022
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

tag=dcf/python-base:3
while (($#)); do
  case $1 in
    --tag) tag=$2; shift 2 ;;
    -*) echo "make-python-base: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
(($# == 1)) || { echo "usage: make-python-base.sh [--tag NAME:TAG] OUT.tar" >&2; exit 2; }
out=$1
python=/usr/bin/python3
if ! "$python" -c 'import grpc, google.protobuf' 2>/dev/null; then
  echo "make-python-base: $python cannot import grpc and google.protobuf (apt-get install python3-grpcio python3-protobuf)" >&2
  exit 2
fi
interpreter=$(readlink -f "$python")
stdlib=$("$python" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
dist=/usr/lib/python3/dist-packages
watcher=$here/../python/watcher

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
py=$work/python
copy_file "$py" "$interpreter"
ln -s "$(basename "$interpreter")" "$py/usr/bin/python3"
mkdir -p "$py$stdlib"
tar -C "$stdlib" --exclude=__pycache__ --exclude=./test --exclude=./idlelib --exclude=./tkinter \
    --exclude=./turtledemo --exclude=./ensurepip --exclude=./lib2to3 --exclude=./pydoc_data \
    --exclude='./config-*' --exclude=./sitecustomize.py --exclude=./site-packages -cf - . | tar -C "$py$stdlib" -xf -
mkdir -p "$py$dist/google"
for pkg in grpc google/protobuf 'grpcio-*.egg-info' 'protobuf-*.egg-info'; do  # globs expand in $dist
  (cd "$dist" && tar --exclude=__pycache__ -cf - $pkg) | tar -C "$py$dist" -xf -
done
touch "$py$dist/google/__init__.py"

sys=$work/system
mapfile -t modules < <(find "$py" -name '*.so' -type f)
copy_libs "$sys" "$work" "$py$interpreter" "${modules[@]}"
add_user "$sys"

wat=$work/watcher
mkdir -p "$wat/opt/dcf"
(cd "$watcher/.." && tar --exclude=__pycache__ --exclude='*.pyc' --exclude=gen.sh -cf - watcher) | tar -C "$wat/opt/dcf" -xf -

config='{"Env":["PATH=/usr/local/bin:/usr/bin:/bin","LANG=C.UTF-8","PYTHONUNBUFFERED=1","PYTHONDONTWRITEBYTECODE=1"],"User":"10001:10001","WorkingDir":"/tmp"}'
write_docker_archive "$out" "$tag" "$config" "$sys" "$py" "$wat"
echo "make-python-base: wrote $out ($(du -h "$out" | cut -f1), 3 layers)"
