# Shared by make-jre-base.sh and make-python-base.sh (source it; not run on its own).
# Lays a root file system out of this machine's files and writes it as a docker-save
# tarball, the layout Jib accepts as a base image (`tar://FILE`): no registry, no daemon.

# copy_file ROOT SRC [DEST]: copies SRC's content (symbolic links followed) to ROOT/DEST
# (default: SRC's own path), keeping its mode.
copy_file() {
  local root=$1 src=$2 dest=${3:-$2}
  mkdir -p "$root$(dirname "$dest")"
  cp -L --preserve=mode "$src" "$root$dest"
}

# copy_libs ROOT SKIP FILE...: copies the shared libraries `ldd` lists for each FILE (and the
# dynamic loader) to the same paths under ROOT; libraries under the directory SKIP (the
# files' own tree, found through $ORIGIN) are not copied. A library ldd cannot find is an
# error, except libjvm.so, which the java launcher loads by itself.
copy_libs() {
  local root=$1 skip=$2; shift 2
  local file line lib
  for file in "$@"; do
    while IFS= read -r line; do
      line=${line#"${line%%[![:space:]]*}"}
      case $line in
        *"=> not found"*)
          [[ $line == libjvm.so* ]] && continue
          echo "make-base: $file needs ${line%% *} and ldd cannot find it" >&2
          return 1 ;;
        *"=> /"*) lib=${line#*=> }; lib=${lib%% (*} ;;
        /*) lib=${line%% (*} ;;
        *) continue ;;
      esac
      [[ $lib == "$skip"/* ]] && continue
      [[ -e $root$lib ]] || copy_file "$root" "$lib"
    done < <(ldd "$file" 2>/dev/null || true)
  done
}

# add_user ROOT: /etc/passwd and /etc/group with root and the numeric non-root user
# 10001 (dcf) that images run as, and /tmp with mode 1777.
add_user() {
  local root=$1
  mkdir -p "$root/etc" "$root/tmp"
  printf 'root:x:0:0:root:/root:/sbin/nologin\ndcf:x:10001:10001:dcf:/tmp:/sbin/nologin\n' >"$root/etc/passwd"
  printf 'root:x:0:\ndcf:x:10001:\n' >"$root/etc/group"
  chmod 1777 "$root/tmp"
}

# layer_tar DIR OUT: a reproducible tar of DIR (sorted, owned by 0:0, mtime 1970-01-01T00:00:01Z).
layer_tar() {
  find "$1" -exec touch -h -d @1 {} +
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@1 --format=gnu \
      -C "$1" -cf "$2" .
}

# write_docker_archive OUT NAME:TAG CONFIG_JSON LAYER_DIR...: one uncompressed layer per
# directory; CONFIG_JSON is the image's "config" object (Env, User, WorkingDir, ...).
write_docker_archive() {
  local out=$1 tag=$2 config=$3; shift 3
  local work; work=$(mktemp -d)
  local i=0 diff_ids="" layers="" history="" sha dir
  for dir in "$@"; do
    layer_tar "$dir" "$work/layer$i.tar"
    sha=$(sha256sum "$work/layer$i.tar" | cut -d' ' -f1)
    mv "$work/layer$i.tar" "$work/$sha.tar"
    diff_ids+="${diff_ids:+,}\"sha256:$sha\""
    layers+="${layers:+,}\"$sha.tar\""
    history+="${history:+,}{\"created\":\"1970-01-01T00:00:00Z\",\"created_by\":\"runtimes/base: $(basename "$dir")\"}"
    i=$((i + 1))
  done
  printf '{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z","config":%s,"rootfs":{"type":"layers","diff_ids":[%s]},"history":[%s]}' \
    "$config" "$diff_ids" "$history" >"$work/config.json"
  printf '[{"Config":"config.json","RepoTags":["%s"],"Layers":[%s]}]' "$tag" "$layers" >"$work/manifest.json"
  mkdir -p "$(dirname "$out")"
  (cd "$work" && tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@1 -cf - manifest.json config.json *.tar) >"$out"
  rm -rf "$work"
}
