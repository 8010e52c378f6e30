"""Tooling around the product, never imported by it: benchmarks, the browser launcher,
test pictures and dev sets. The product's logic is in ../fmnist."""
