#!/usr/bin/env bash
# Fetches the conformance corpora into Tests/Conformance/corpus/, pinned to commits:
#   biomodels/  even-numbered BIOMD*.txt of sys-bio/antimony doc/examples/biomodels/
#               (the odd-numbered half is held out and is never extracted)
#   semantic/   cases/semantic of sbmlteam/sbml-test-suite
# With OSTEON_CORPUS_FROM=DIR (holding biomodels-even/ and semantic/) it links the
# local copies instead of downloading. Existing folders are left alone.
set -euo pipefail

ANTIMONY_COMMIT=d3def03704d6fef64e9346c817cea4e9867881dc
SUITE_COMMIT=7ab011efe471877987b5d6dcba8cc19a6ff71254
EVEN_GLOB='BIOMD*[02468].txt'

cd "$(dirname "$0")"
mkdir -p corpus
cd corpus

# Each folder is filled under a .partial name and renamed when complete.
if [[ ! -d biomodels ]]; then
  rm -rf biomodels.partial
  mkdir biomodels.partial
  if [[ -n "${OSTEON_CORPUS_FROM:-}" ]]; then
    # Link only even-numbered files, whatever else the local folder holds.
    for f in "$OSTEON_CORPUS_FROM"/biomodels-even/$EVEN_GLOB; do
      ln -s "$(realpath "$f")" biomodels.partial/
    done
  else
    curl -fsSL "https://github.com/sys-bio/antimony/archive/$ANTIMONY_COMMIT.tar.gz" |
      tar -xz -C biomodels.partial --strip-components=4 --wildcards \
        "antimony-$ANTIMONY_COMMIT/doc/examples/biomodels/$EVEN_GLOB"
  fi
  mv biomodels.partial biomodels
fi

if [[ ! -d semantic ]]; then
  if [[ -n "${OSTEON_CORPUS_FROM:-}" ]]; then
    ln -s "$(realpath "$OSTEON_CORPUS_FROM/semantic")" semantic
  else
    rm -rf semantic.partial
    mkdir semantic.partial
    curl -fsSL "https://github.com/sbmlteam/sbml-test-suite/archive/$SUITE_COMMIT.tar.gz" |
      tar -xz -C semantic.partial --strip-components=3 \
        "sbml-test-suite-$SUITE_COMMIT/cases/semantic"
    mv semantic.partial semantic
  fi
fi

models=$(find -L biomodels -name 'BIOMD*.txt' | wc -l)
cases=$(find -L semantic -mindepth 1 -maxdepth 1 -type d -name '[0-9]*' | wc -l)
echo "corpus: $models BioModels (even-numbered), $cases semantic cases"
if find -L biomodels -name 'BIOMD*[13579].txt' | grep -q .; then
  echo "error: odd-numbered BioModels found in corpus/biomodels" >&2
  exit 1
fi
