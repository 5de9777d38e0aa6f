#!/bin/sh
# A stand-in for the Kaniko executor on the e2e cluster: takes Kaniko's flags, checks them,
# reads the fetched context, prints lines as Kaniko would, and writes a digest (the
# Dockerfile's SHA-256) to --digest-file. Build args: FAIL=<text> exits 1 after printing it;
# SLEEP=<seconds> sleeps first (to be cancelled).
set -e
while [ $# -gt 0 ]; do
  case "$1" in
    --context) context="$2"; shift 2 ;;
    --dockerfile) dockerfile="$2"; shift 2 ;;
    --destination) destination="$2"; shift 2 ;;
    --digest-file) digest_file="$2"; shift 2 ;;
    --insecure-registry) echo "insecure registry $2"; shift 2 ;;
    --build-arg)
      echo "build-arg $2"
      case "$2" in
        FAIL=*) fail="${2#FAIL=}" ;;
        SLEEP=*) pause="${2#SLEEP=}" ;;
      esac
      shift 2 ;;
    *) echo "unexpected argument: $1"; exit 2 ;;
  esac
done
echo "stand-in executor: context=$context dockerfile=$dockerfile destination=$destination digest-file=$digest_file"
dir="${context#dir://}"
[ "$context" = "dir://$dir" ] && [ -d "$dir" ] || { echo "no context directory: $context"; exit 2; }
[ -f "$dockerfile" ] || { echo "no Dockerfile at $dockerfile"; exit 2; }
echo "context files: $(cd "$dir" && find . -type f | sort | tr '\n' ' ')"
echo "Dockerfile FROM: $(grep '^FROM' "$dockerfile" | head -1)"
echo "running as uid $(id -u)"
if [ -n "$pause" ]; then
  echo "sleeping $pause s"
  sleep "$pause"
fi
if [ -n "$fail" ]; then
  echo "error building image: $fail"
  exit 1
fi
echo "Pushing image to $destination"
printf 'sha256:%s' "$(sha256sum "$dockerfile" | cut -d' ' -f1)" > "$digest_file"
echo "Pushed $destination"
