#!/usr/bin/env bash
# Smoke test for the collections-analysis plugin against a real Elasticsearch 8.19.21 node.
#
# Unzips the stripped distribution from the local Maven repository into a scratch folder,
# installs target/collections-analysis-8.19.21.zip, starts the node as an unprivileged user on
# scratch ports, checks edge n-grams, double metaphone and ASCII folding through _analyze and
# searches, then stops the node and removes the scratch folder.
#
# Needs: a built zip (mvn -B -q package), the distribution in ~/.m2
#   (mvn -B -q dependency:get -Dartifact=org.elasticsearch.distribution.integ-test-zip:elasticsearch:8.19.21:zip -Dtransitive=false),
# Java 17, curl, python3. Run as root (it creates/uses the system user ES_USER) or as a
# non-root user (the node then runs as that user).
#
# Env: ES_HTTP_PORT (59290), ES_TRANSPORT_PORT (59390), ES_USER (collections-es),
#      ES_JAVA_HOME (/usr/lib/jvm/java-17-openjdk-amd64), KEEP=1 to keep the scratch folder.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
zip="$here/target/collections-analysis-8.19.21.zip"
dist="${HOME}/.m2/repository/org/elasticsearch/distribution/integ-test-zip/elasticsearch/8.19.21/elasticsearch-8.19.21.zip"
http_port="${ES_HTTP_PORT:-59290}"
transport_port="${ES_TRANSPORT_PORT:-59390}"
es_user="${ES_USER:-collections-es}"
export ES_JAVA_HOME="${ES_JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"
url="http://127.0.0.1:${http_port}"

[[ -f "$zip" ]] || { echo "missing $zip: run mvn -B -q package first" >&2; exit 2; }
[[ -f "$dist" ]] || { echo "missing $dist: fetch it with mvn dependency:get (see header)" >&2; exit 2; }
if curl -s -m 2 "$url" >/dev/null 2>&1; then
  echo "port $http_port is already in use" >&2; exit 2
fi

scratch="$(mktemp -d /tmp/collections-analysis-smoke.XXXXXX)"
es_pid=""
cleanup() {
  if [[ -n "$es_pid" ]] && kill -0 "$es_pid" 2>/dev/null; then
    kill -TERM "$es_pid"
    for _ in $(seq 1 60); do kill -0 "$es_pid" 2>/dev/null || break; sleep 1; done
  fi
  if [[ "${KEEP:-0}" != 1 ]]; then rm -rf "$scratch"; else echo "kept $scratch"; fi
}
trap cleanup EXIT

(cd "$scratch" && unzip -q "$dist")
home="$scratch/elasticsearch-8.19.21"
"$home/bin/elasticsearch-plugin" install --batch "file://$zip"
mkdir -p "$scratch/data" "$scratch/logs" "$scratch/tmp"
cat >>"$home/config/elasticsearch.yml" <<YML
cluster.name: collections-analysis-smoke
node.name: smoke-1
path.data: $scratch/data
path.logs: $scratch/logs
network.host: 127.0.0.1
http.port: $http_port
transport.port: $transport_port
discovery.type: single-node
xpack.security.enabled: false
cluster.routing.allocation.disk.threshold_enabled: false
YML

run_as=()
if [[ "$(id -u)" == 0 ]]; then
  id "$es_user" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$es_user"
  chown -R "$es_user:$es_user" "$scratch"
  run_as=(setpriv --reuid="$es_user" --regid="$es_user" --clear-groups --)
fi
"${run_as[@]}" env ES_JAVA_HOME="$ES_JAVA_HOME" ES_TMPDIR="$scratch/tmp" \
  ES_JAVA_OPTS="-Xms512m -Xmx512m -XX:-AlwaysPreTouch" \
  "$home/bin/elasticsearch" >"$scratch/stdout.log" 2>&1 &
es_pid=$!

ready=0
for _ in $(seq 1 120); do
  if curl -s -m 2 "$url/_cluster/health" 2>/dev/null | grep -q '"status"'; then ready=1; break; fi
  kill -0 "$es_pid" 2>/dev/null || break
  sleep 1
done
if [[ "$ready" != 1 ]]; then
  echo "Elasticsearch did not become ready; last log lines:" >&2
  tail -30 "$scratch/stdout.log" >&2
  exit 1
fi

json() { curl -s -H 'Content-Type: application/json' "$@"; }

json -XPUT "$url/customers" -d '{
  "settings": {
    "number_of_shards": 1, "number_of_replicas": 0,
    "analysis": {
      "filter": {
        "name_edge": {"type": "edge_ngram", "min_gram": 2, "max_gram": 20},
        "name_fold": {"type": "asciifolding", "preserve_original": false},
        "name_dm": {"type": "phonetic", "encoder": "double_metaphone", "replace": true, "max_code_len": 6}
      },
      "analyzer": {
        "name_prefix": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase", "name_fold", "name_edge"]},
        "name_plain": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase", "name_fold"]},
        "name_phonetic": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase", "name_fold", "name_dm"]}
      }
    }
  },
  "mappings": {"properties": {"name": {"type": "text", "analyzer": "name_plain", "fields": {
    "prefix": {"type": "text", "analyzer": "name_prefix", "search_analyzer": "name_plain"},
    "phonetic": {"type": "text", "analyzer": "name_phonetic"}}}}}
}' >/dev/null
for name in "Katherine Hoffmann" "Meyer" "José Núñez" "Karl Schmidt" "Anna Petrova"; do
  json -XPOST "$url/customers/_doc" -d "{\"name\": \"$name\"}" >/dev/null
done
json -XPOST "$url/customers/_refresh" >/dev/null

passed=0
failed=0
check() { # description, expected, actual
  if [[ "$2" == "$3" ]]; then
    passed=$((passed + 1)); echo "ok   $1: $3"
  else
    failed=$((failed + 1)); echo "FAIL $1: expected [$2], got [$3]"
  fi
}
tokens() { # analyzer, text
  json "$url/customers/_analyze" -d "{\"analyzer\": \"$1\", \"text\": \"$2\"}" |
    python3 -c 'import json,sys; print(" ".join(t["token"] for t in json.load(sys.stdin)["tokens"]))'
}
hits() { # field, query
  json "$url/customers/_search" -d "{\"query\": {\"match\": {\"$1\": {\"query\": \"$2\", \"operator\": \"and\"}}}}" |
    python3 -c 'import json,sys; print("|".join(h["_source"]["name"] for h in json.load(sys.stdin)["hits"]["hits"]))'
}

check "edge n-grams of Hoffmann" "ho hof hoff hoffm hoffma hoffman hoffmann" "$(tokens name_prefix Hoffmann)"
check "double metaphone Maier" "MR" "$(tokens name_phonetic Maier)"
check "double metaphone Meyer" "MR" "$(tokens name_phonetic Meyer)"
check "ascii folding" "jose nunez" "$(tokens name_plain 'José Núñez')"
check "search 'kath hof' on name.prefix" "Katherine Hoffmann" "$(hits name.prefix 'kath hof')"
check "search 'kath hof' on name (control)" "" "$(hits name 'kath hof')"
check "search 'Maier' on name.phonetic" "Meyer" "$(hits name.phonetic Maier)"
check "search 'Maier' on name (control)" "" "$(hits name Maier)"
check "search 'Jose Nunez' on name" "José Núñez" "$(hits name 'Jose Nunez')"
check "edge_ngram tokenizer token_chars" "Ab 12 Zo Zoë" "$(json "$url/_analyze" -d '{"tokenizer": {"type": "edge_ngram", "min_gram": 2, "max_gram": 5, "token_chars": ["letter", "digit"]}, "text": "Ab-12 Zoë"}' |
  python3 -c 'import json,sys; print(" ".join(t["token"] for t in json.load(sys.stdin)["tokens"]))')"

echo "smoke-test: $passed passed, $failed failed"
[[ "$failed" == 0 ]]
