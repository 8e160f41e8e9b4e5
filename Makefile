# Convenience wrappers around the scripts in .ci/ (the README's commands).
.PHONY: run test bench static-gsl format conformance
.PHONY: notebooks

run:
	bash .ci/quickstart

test:
	bash .ci/test

bench:
	swift build -c release --product osteon
	.build/release/osteon bench-parse --reactions 10000
	.build/release/osteon bench

# GSL linked statically: the benchmark runs and trajectories must be the dynamic build's.
static-gsl:
	bash .ci/static-gsl

format:
	swift format --in-place --recursive Package.swift Sources Tests

# Conformance against libRoadRunner: BioModels and the SBML semantic test suite
# (Tests/Conformance/README.md). Needs python3 with Tests/Conformance/requirements.txt.
# The corpus is downloaded once; references and conversions are made only when missing.
conformance:
	swift build -c release --product osteon
	bash Tests/Conformance/fetch_corpus.sh
	test -f Tests/Conformance/corpus/references/biomodels/index.json || python3 Tests/Conformance/biomodels.py references
	python3 Tests/Conformance/biomodels.py run --roadrunner
	test -f Tests/Conformance/corpus/converted/index.json || python3 Tests/Conformance/semantic.py convert
	python3 Tests/Conformance/semantic.py run
	python3 Tests/Conformance/report.py

# Notebooks/: a virtual environment from Notebooks/requirements.txt, the exports read
# back with pandas, then every notebook executed headless (figures in Notebooks/figures/).
notebooks:
	bash .ci/notebooks
