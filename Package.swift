// swift-tools-version: 6.0
// Osteon: signaling-network models of bone remodeling and osteoporosis.
// GPL-3.0-or-later (links GSL, which is GPL-3).
import PackageDescription

let package = Package(
  name: "Osteon",
  // Atomics (Synchronization) for cancelling runs from another thread.
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "osteon", targets: ["osteon"]),
    .library(name: "OsteonSyntax", targets: ["OsteonSyntax"]),
    .library(name: "OsteonNetwork", targets: ["OsteonNetwork"]),
    .library(name: "OsteonCompile", targets: ["OsteonCompile"]),
    .library(name: "OsteonSimulate", targets: ["OsteonSimulate"]),
    .library(name: "OsteonExport", targets: ["OsteonExport"]),
    .library(name: "OsteonExperiment", targets: ["OsteonExperiment"]),
    .library(name: "OsteonSensitivity", targets: ["OsteonSensitivity"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    // Experiment files are TOML.
    .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
  ],
  targets: [
    // GNU Scientific Library: stiff ODE solvers for the simulation engine.
    .systemLibrary(
      name: "CGSL",
      pkgConfig: "gsl",
      providers: [.apt(["libgsl-dev", "pkg-config"])]
    ),
    // CBLAS kernels for the small dense systems of BDF steps; GSL's LU solves call
    // them in place of libgslcblas's reference versions (see small_blas.c). Large
    // sparse iteration matrices go to SuiteSparse's KLU (sparse_lu.c; Debian
    // libsuitesparse-dev, which ships no pkg-config file).
    .target(name: "CSmallBLAS", dependencies: ["CGSL"], linkerSettings: [.linkedLibrary("klu")]),
    // text → syntax tree, with diagnostics
    .target(name: "OsteonSyntax"),
    // syntax tree → resolved Network
    .target(name: "OsteonNetwork", dependencies: ["OsteonSyntax"]),
    // Network → ODE system: slots, bytecode right-hand side, exact Jacobian
    .target(name: "OsteonCompile", dependencies: ["OsteonNetwork", "OsteonSyntax"]),
    // ODE system → trajectory: GSL stepping, events, output grid
    .target(
      name: "OsteonSimulate", dependencies: ["CGSL", "CSmallBLAS", "OsteonCompile", "OsteonNetwork", "OsteonSyntax"]),
    // Trajectory → CSV and JSON manifests, written atomically
    .target(name: "OsteonExport", dependencies: ["OsteonNetwork", "OsteonSimulate"]),
    // Experiment files (TOML) → arms and scans run on one compiled model → summaries
    .target(
      name: "OsteonExperiment",
      dependencies: [
        "OsteonSyntax", "OsteonNetwork", "OsteonCompile", "OsteonSimulate", "OsteonExport",
        .product(name: "TOMLKit", package: "TOMLKit"),
      ]),
    // Parameter spaces (TOML) → Sobol, Morris and local sensitivities, in parallel and in shards
    .target(
      name: "OsteonSensitivity",
      dependencies: [
        "CGSL", "OsteonSyntax", "OsteonNetwork", "OsteonCompile", "OsteonSimulate", "OsteonExport", "OsteonExperiment",
        .product(name: "TOMLKit", package: "TOMLKit"),
      ]),
    .executableTarget(
      name: "osteon",
      dependencies: [
        "OsteonSyntax",
        "OsteonNetwork",
        "OsteonCompile",
        "OsteonSimulate",
        "OsteonExport",
        "OsteonExperiment",
        "OsteonSensitivity",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // Helpers shared by the test suites (a deterministic random generator).
    .target(name: "OsteonTestSupport", path: "Tests/OsteonTestSupport"),
    .testTarget(name: "OsteonSyntaxTests", dependencies: ["OsteonSyntax"]),
    .testTarget(name: "OsteonNetworkTests", dependencies: ["OsteonNetwork", "OsteonSyntax", "OsteonTestSupport"]),
    .testTarget(
      name: "OsteonCompileTests", dependencies: ["OsteonCompile", "OsteonNetwork", "OsteonSyntax", "OsteonTestSupport"]),
    .testTarget(
      name: "OsteonSimulateTests",
      dependencies: [
        "CSmallBLAS", "OsteonSimulate", "OsteonCompile", "OsteonNetwork", "OsteonSyntax", "OsteonTestSupport",
      ]),
    .testTarget(name: "OsteonExportTests", dependencies: ["OsteonExport", "OsteonNetwork", "OsteonSimulate"]),
    .testTarget(
      name: "OsteonExperimentTests",
      dependencies: ["OsteonExperiment", "OsteonSimulate", "OsteonCompile", "OsteonNetwork", "OsteonSyntax"]),
    .testTarget(
      name: "OsteonSensitivityTests",
      dependencies: ["OsteonSensitivity", "OsteonExperiment", "OsteonSimulate", "OsteonCompile", "OsteonNetwork"]),
    // Runs the built `osteon` executable as a subprocess (build it first, e.g. with --build-tests).
    .testTarget(name: "OsteonCLITests"),
  ],
  swiftLanguageModes: [.v6]
)
