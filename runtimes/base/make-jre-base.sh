#!/usr/bin/env bash
# Makes a small Java base image with no registry and no Docker daemon: a jlink'ed JRE of
# this machine's JDK, the shared libraries ldd lists for it, /etc/passwd with the numeric
# non-root user 10001, /tmp (1777); with --watcher-jar also the Java watcher at
# /opt/dcf/watcher/dcf-watcher.jar (the `java` runtime's base, docs/runtimes.md).
# Written as a docker-save tarball: use it as `tar://OUT` with Jib (-Dimage.base=tar://OUT,
# FunctionImages.java("tar://OUT", ...)).
#
#   runtimes/base/make-jre-base.sh [--watcher-jar JAR] [--modules M1,M2] [--tag NAME:TAG] OUT.tar
#
# The default modules are what `jdeps --ignore-missing-deps --multi-release 17
# --print-module-deps` prints for the gateway (with its lib/*.jar) and for dcf-watcher.jar,
# plus java.logging, java.net.http, jdk.crypto.ec (TLS) and jdk.zipfs, which handlers use often.
set -euo pipefail
umask 022
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

modules=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.prefs,java.scripting,java.sql,jdk.crypto.ec,jdk.jfr,jdk.management,jdk.unsupported,jdk.zipfs
watcher=""
tag=""
while (($#)); do
  case $1 in
    --watcher-jar) watcher=$2; shift 2 ;;
    --modules) modules=$2; shift 2 ;;
    --tag) tag=$2; shift 2 ;;
    -*) echo "make-jre-base: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
(($# == 1)) || { echo "usage: make-jre-base.sh [--watcher-jar JAR] [--modules LIST] [--tag NAME:TAG] OUT.tar" >&2; exit 2; }
out=$1
if [[ -n $watcher && ! -f $watcher ]]; then
  echo "make-jre-base: --watcher-jar $watcher does not exist (build it: ./mvnw -pl watcher-java -am package -DskipTests)" >&2
  exit 2
fi
jlink=${JAVA_HOME:+$JAVA_HOME/bin/}jlink
command -v "$jlink" >/dev/null || { echo "make-jre-base: no jlink (install a JDK 17, e.g. openjdk-17-jdk-headless)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
jre=$work/jre/opt/java/openjdk
mkdir -p "$(dirname "$jre")"
# --compress=0: the layer is gzipped anyway; an uncompressed jimage makes a smaller layer
# (27 MB instead of 33 MB gzipped, 78 MB instead of 51 MB on disk) and a JVM that starts
# without inflating its classes.
"$jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=0 --output "$jre"

# The libraries of the launcher, the VM and the JRE's own libraries; the AWT, sound and
# splash-screen ones are left out (X11, ALSA): a headless server never loads them.
sys=$work/system
libs=("$jre/bin/java" "$jre/lib/server/libjvm.so")
for so in "$jre"/lib/*.so; do
  [[ $(basename "$so") =~ awt|jawt|fontmanager|jsound|splashscreen|lcms|javajpeg|mlib_image ]] || libs+=("$so")
done
copy_libs "$sys" "$work" "${libs[@]}"
add_user "$sys"

config='{"Env":["PATH=/opt/java/openjdk/bin:/usr/bin:/bin","JAVA_HOME=/opt/java/openjdk","LANG=C.UTF-8"],"User":"10001:10001","WorkingDir":"/tmp"}'
dirs=("$sys" "$work/jre")
if [[ -n $watcher ]]; then
  mkdir -p "$work/watcher/opt/dcf/watcher"
  cp "$watcher" "$work/watcher/opt/dcf/watcher/dcf-watcher.jar"
  chmod 0644 "$work/watcher/opt/dcf/watcher/dcf-watcher.jar"
  dirs+=("$work/watcher")
  tag=${tag:-dcf/java-base:17}
fi
write_docker_archive "$out" "${tag:-dcf/jre:17}" "$config" "${dirs[@]}"
echo "make-jre-base: wrote $out ($(du -h "$out" | cut -f1), ${#dirs[@]} layers)"
