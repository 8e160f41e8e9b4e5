# Convenience wrappers around the scripts in .ci/ (the README's commands).
.PHONY: run test bench format

run:
	bash .ci/quickstart

test:
	bash .ci/test

bench:
	swift build -c release --product osteon
	.build/release/osteon bench-parse --reactions 10000
	.build/release/osteon bench

format:
	swift format --in-place --recursive Package.swift Sources Tests
