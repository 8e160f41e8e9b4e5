import CGSL
import CSmallBLAS
import Foundation
import OsteonCompile
import OsteonNetwork
import OsteonSimulate
import Testing

// The sparse linear solver (KLU on the Jacobian's pattern, sparse_lu.c) against the
// dense path: the same trajectories to the tolerance on every shipped network and on
// the scaling chain, the pattern and the automatic choice, and KLU's contract with
// msbdf (a singular matrix is reported by the solve, as GSL's dense LU does).

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent()

/// Every shipped network, with its span: the declared run where there is one, else
/// the span `osteon bench` uses (Networks/benchmarks/roadrunner_bench.py).
private let shippedNetworks: [(path: String, end: Double)] = {
  let spans = [
    "lemaire2004": 140, "lemaire2004_pth": 140, "komarova2003": 1000, "graham2013": 1000, "robertson": 4e5,
    "hires": 321.8122, "pollution": 60,
  ]
  var found: [(String, Double)] = []
  for folder in ["Networks/published", "Networks/benchmarks"] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path)) ?? []
    for name in names.sorted() where name.hasSuffix(".ant") {
      let path = "\(folder)/\(name)"
      let text = (try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)) ?? ""
      let end = DeclaredRun.runs(in: text).first?.end ?? spans[String(name.dropLast(4))] ?? 100
      found.append((path, end))
    }
  }
  let text = (try? String(contentsOf: root.appendingPathComponent("Networks/osteoporosis.ant"), encoding: .utf8)) ?? ""
  found.append(("Networks/osteoporosis.ant", DeclaredRun.runs(in: text).first?.end ?? 100))
  return found
}()

private func compile(_ text: String, path: String) throws -> CompiledModel {
  let loaded = Network.load(text: text, path: path)
  let network = try #require(loaded.network, "\(loaded.renderedDiagnostics)")
  return try CompiledModel(network: network)
}

/// A shipped network, from its file (modules are found beside it).
private func compile(shipped path: String) throws -> CompiledModel {
  let loaded = try Network.load(path: root.appendingPathComponent(path).path)
  let network = try #require(loaded.network, "\(loaded.renderedDiagnostics)")
  return try CompiledModel(network: network)
}

private func solve(_ problem: SimulationProblem, _ solver: LinearSolver, rtol: Double = 1e-8) throws -> Trajectory {
  var options = SolverOptions()
  options.relativeTolerance = rtol
  options.linearSolver = solver
  return try Simulator(options: options).solve(problem)
}

/// The largest difference between two trajectories over every column and time,
/// relative to 1e-6·max|column| + |dense value| + 1e-12 (the absolute tolerance: a
/// state that stays at 0 is 1e-25 on one path and 0 on the other).
private func worstDifference(_ sparse: Trajectory, _ dense: Trajectory) -> Double {
  let columns = dense.columns.count
  var worst = 0.0
  for column in 0..<columns {
    var scale = 0.0
    for row in 0..<dense.rowCount { scale = max(scale, abs(dense.values[row * columns + column])) }
    for row in 0..<dense.rowCount {
      let a = sparse.values[row * columns + column]
      let b = dense.values[row * columns + column]
      worst = max(worst, abs(a - b) / (1e-6 * scale + abs(b) + 1e-12))
    }
  }
  return worst
}

@Suite("Sparse linear solver")
struct SparseLinearSolverTests {
  @Test(arguments: shippedNetworks.map(\.path))
  func sparseAgreesWithDenseOnShippedNetworks(_ path: String) throws {
    let end = try #require(shippedNetworks.first { $0.path == path }).end
    let model = try compile(shipped: path)
    let problem = SimulationProblem(model: model, end: end, points: 101)
    let dense = try solve(problem, .dense)
    let sparse = try solve(problem, .sparse)
    #expect(dense.statistics.linearSolver == "dense")
    #expect(sparse.statistics.linearSolver == "sparse")
    #expect(sparse.statistics.sparseFactorizations > 0)
    #expect(sparse.times == dense.times)
    // Both solve to rtol 1e-8; they differ by the rounding of the factorizations only.
    #expect(worstDifference(sparse, dense) < 1e-5, "\(path)")
  }

  @Test func chainAgreesAndAutoChoosesSparse() throws {
    let model = try compile(SyntheticNetwork.chain(reactions: 120), path: "chain.ant")
    let problem = SimulationProblem(model: model, end: 10, points: 101)
    let dense = try solve(problem, .dense, rtol: 1e-6)
    let automatic = try solve(problem, .auto, rtol: 1e-6)
    #expect(automatic.statistics.linearSolver == "sparse")
    #expect(dense.statistics.linearSolver == "dense")
    #expect(worstDifference(automatic, dense) < 1e-4)
    // Mass is conserved along the chain (A0 starts at 10, nothing leaves).
    let last = (dense.rowCount - 1) * dense.columns.count
    let total = automatic.values[last..<(last + dense.columns.count)].reduce(0, +)
    #expect(abs(total - 10) < 1e-6)
  }

  @Test func automaticChoiceBySizeDensityAndMethod() throws {
    let small = try compile(SyntheticNetwork.chain(reactions: 30), path: "small.ant")
    let large = try compile(SyntheticNetwork.chain(reactions: 200), path: "large.ant")
    #expect(LinearSolver.auto.resolved(for: small, method: .msbdf) == .dense)
    #expect(LinearSolver.auto.resolved(for: large, method: .msbdf) == .sparse)
    #expect(LinearSolver.sparse.resolved(for: small, method: .msbdf) == .sparse)
    #expect(LinearSolver.dense.resolved(for: large, method: .msbdf) == .dense)
    // Only msbdf has a sparse path.
    #expect(LinearSolver.sparse.resolved(for: large, method: .bsimp) == .dense)
    // A dense pattern stays dense above the size limit.
    let full = JacobianSparsity(
      stateCount: 100, positions: (0..<100).flatMap { i in (0..<100).map { .init(row: i, column: $0) } })
    #expect(LinearSolver.auto.resolved(for: full, method: .msbdf) == .dense)
    #expect(full.density == 1)
  }

  @Test func patternIsTheChainsNonZeros() throws {
    let n = 50
    let model = try compile(SyntheticNetwork.chain(reactions: n), path: "chain.ant")
    let sparsity = model.jacobianSparsity
    #expect(sparsity.stateCount == n + 1)
    // ∂f_i/∂A_i on the diagonal for i < n and ∂f_{i+1}/∂A_i below it.
    #expect(sparsity.nonZeros == 2 * n)
    #expect(sparsity.iterationEntries.count == 2 * n + 1)
    let evaluator = try ModelEvaluator(model: model)
    let states = (0...n).map { 0.5 + Double($0 % 7) * 0.3 }
    let dense = try evaluator.jacobian(time: 0, states: states)
    let nonZeros = Set(
      (0..<(n + 1) * (n + 1)).filter { dense[$0] != 0 }.map {
        JacobianSparsity.Position(row: $0 / (n + 1), column: $0 % (n + 1))
      })
    #expect(nonZeros == Set(sparsity.entries))
  }

  /// The sparse path reads I − hγJ on the diagonal even where J has no entry, so the
  /// pattern-only fill of a matrix it has not seen must zero the diagonal (GSL's
  /// matrix comes from malloc: garbage there made runs fail at random).
  @Test func patternFillZeroesTheDiagonalOfANewMatrix() throws {
    let model = try compile("J0: A0 -> A1; k*A0\nk = 2\nA0 = 1\nA1 = 0\n", path: "diagonal.ant")
    #expect(model.jacobianSparsity.entries.count == 2)
    let evaluator = try ModelEvaluator(model: model)
    evaluator.kernel.pointee.zeroesNewMatrices = false
    var matrix = [Double](repeating: 7, count: 4)
    var timeDerivatives = [Double](repeating: 7, count: 2)
    let states = [1.0, 0.0]
    for _ in 0..<2 {
      let finite = matrix.withUnsafeMutableBufferPointer { m in
        timeDerivatives.withUnsafeMutableBufferPointer { t in
          states.withUnsafeBufferPointer { y in
            evaluator.kernel.pointee.patternJacobian(
              time: 0, states: y.baseAddress!, matrix: m.baseAddress!, timeDerivatives: t.baseAddress!)
          }
        }
      }
      #expect(finite)
      // (0, 1) is outside I − hγJ: left alone; (1, 1) is on its diagonal: zeroed.
      #expect(matrix == [-2, 7, 2, 0])
      #expect(timeDerivatives == [0, 0])
    }
  }

  @Test(arguments: shippedNetworks.map(\.path))
  func patternCoversTheDenseJacobian(_ path: String) throws {
    let model = try compile(shipped: path)
    let evaluator = try ModelEvaluator(model: model)
    let n = model.layout.states.count
    let pattern = Set(model.jacobianSparsity.entries)
    let start = evaluator.states
    for scale in [1.0, 0.7, 1.3] {
      let states = start.enumerated().map { ($0.element == 0 ? 0.1 : $0.element) * (scale + 0.01 * Double($0.offset)) }
      let dense = try evaluator.jacobian(time: 1, states: states)
      for index in 0..<(n * n) where dense[index] != 0 && !dense[index].isNaN {
        #expect(pattern.contains(.init(row: index / n, column: index % n)), "\(path): (\(index / n), \(index % n))")
      }
    }
  }
}

/// A 3 × 3 system as GSL's LU functions take it.
private final class System {
  let matrix = gsl_matrix_calloc(3, 3)
  let permutation = gsl_permutation_alloc(3)
  let rhs = gsl_vector_calloc(3)
  let x = gsl_vector_calloc(3)

  init(_ values: [[Double]], _ b: [Double]) {
    for i in 0..<3 {
      for j in 0..<3 { gsl_matrix_set(matrix, i, j, values[i][j]) }
      gsl_vector_set(rhs, i, b[i])
    }
  }

  deinit {
    gsl_matrix_free(matrix)
    gsl_permutation_free(permutation)
    gsl_vector_free(rhs)
    gsl_vector_free(x)
  }

  /// The statuses of the factorization and of the solve.
  func solve() -> (decomp: Int32, solve: Int32) {
    var sign: Int32 = 0
    let decomp = gsl_linalg_LU_decomp(matrix, permutation, &sign)
    return (decomp, gsl_linalg_LU_solve(matrix, permutation, rhs, x))
  }

  var solution: [Double] { (0..<3).map { gsl_vector_get(x, $0) } }
}

/// Runs `body` with the context `make` gives bound on this thread, then frees it.
private func withBound<R>(_ make: () -> OpaquePointer?, _ body: (OpaquePointer) throws -> R) throws -> R {
  let lu = try #require(make())
  defer { osteon_lu_context_free(lu) }
  let previous = osteon_lu_context_bind(lu)
  defer { osteon_lu_context_bind(previous) }
  return try body(lu)
}

/// values·x = b through GSL's names with a fresh context bound (one factorization,
/// one solve), against GSL's own LU unbound: the same x to rounding.
private func expectSolvesLikeGSL(_ make: () -> OpaquePointer?, _ values: [[Double]], _ b: [Double]) throws {
  gsl_set_error_handler_off()
  let bound = System(values, b)
  try withBound(make) { lu in
    #expect(bound.solve() == (Int32(GSL_SUCCESS), Int32(GSL_SUCCESS)))
    let counts = osteon_lu_context_statistics(lu)
    #expect(counts.factorizations == 1 && counts.solves == 1)
  }
  let gsl = System(values, b)
  #expect(gsl.solve() == (Int32(GSL_SUCCESS), Int32(GSL_SUCCESS)))
  for i in 0..<3 {
    #expect(abs(bound.solution[i] - gsl.solution[i]) <= 1e-14 * max(1, abs(gsl.solution[i])))
  }
}

/// Rows 0 and 1 proportional: singular. The factorization succeeds, as GSL 2.7's
/// does; the solve refuses with GSL_EDOM, as GSL's does, and the context counts it.
private func expectSingularRefused(_ lu: OpaquePointer) -> System {
  gsl_set_error_handler_off()
  let system = System([[1, 2, 0], [2, 4, 0], [0, 0, 1]], [0, 0, 0])
  #expect(system.solve() == (Int32(GSL_SUCCESS), Int32(GSL_EDOM)))
  #expect(osteon_lu_context_statistics(lu).singular == 1)
  return system
}

/// KLU through GSL's names, as msbdf calls them.
@Suite("Sparse LU through GSL's names")
struct SparseLUContractTests {
  /// A 3 × 3 tridiagonal pattern.
  private static let rows: [Int32] = [0, 0, 1, 1, 1, 2, 2]
  private static let columns: [Int32] = [0, 1, 0, 1, 2, 1, 2]

  private func sparse() -> OpaquePointer? { osteon_lu_context_sparse(3, 7, Self.rows, Self.columns) }

  @Test func solvesLikeTheDenseLU() throws {
    try expectSolvesLikeGSL(sparse, [[4, -1, 0], [-2, 5, 1], [0, 3, 6]], [1, 2, 3])
  }

  @Test func aSingularMatrixFailsTheSolveLikeGSLs() throws {
    try withBound(sparse) { lu in
      let system = expectSingularRefused(lu)
      // The next factorization starts afresh and succeeds on a regular matrix.
      gsl_matrix_set(system.matrix, 1, 1, 5)
      #expect(system.solve() == (Int32(GSL_SUCCESS), Int32(GSL_SUCCESS)))
      #expect(osteon_lu_context_statistics(lu).factorizations == 2)
    }
  }

  #if os(Linux)
    /// libgsl's calls reach the replacement (as the kernel counts show for the dense
    /// kernels), so sparse runs leave GSL's Jacobian matrix untouched outside the pattern.
    @Test func libgslsCallsReachKLU() {
      #expect(osteon_sparse_reaches_gsl() == 1)
    }
  #endif

  @Test func copiesAndScalesOnlyThePattern() throws {
    try withBound(sparse) { lu in
      let source = gsl_matrix_alloc(3, 3)
      let target = gsl_matrix_alloc(3, 3)
      defer {
        gsl_matrix_free(source)
        gsl_matrix_free(target)
      }
      gsl_matrix_set_all(source, 2)
      gsl_matrix_set_all(target, -1)
      #expect(gsl_matrix_memcpy(target, source) == GSL_SUCCESS)
      #expect(gsl_matrix_scale(target, 3) == GSL_SUCCESS)
      #expect(gsl_matrix_get(target, 0, 1) == 6)
      #expect(gsl_matrix_get(target, 2, 2) == 6)
      // (0, 2) and (2, 0) are outside the pattern: untouched.
      #expect(gsl_matrix_get(target, 0, 2) == -1)
      #expect(gsl_matrix_get(target, 2, 0) == -1)
      #expect(osteon_lu_context_statistics(lu).pattern_copies == 1)
    }
  }

  /// Unbound, they copy and scale every entry as GSL does (exact operations, so bit for
  /// bit), through views whose rows are padded, and refuse mismatched sizes.
  @Test func unboundCopyAndScaleAreGSLs() throws {
    gsl_set_error_handler_off()
    let storage = gsl_matrix_alloc(4, 6)
    let target = gsl_matrix_alloc(4, 4)
    let small = gsl_matrix_alloc(3, 4)
    defer {
      gsl_matrix_free(storage)
      gsl_matrix_free(target)
      gsl_matrix_free(small)
    }
    for i in 0..<4 { for j in 0..<6 { gsl_matrix_set(storage, i, j, Double(i * 6 + j) / 7) } }
    var view = gsl_matrix_submatrix(storage, 0, 1, 4, 4)
    #expect(gsl_matrix_memcpy(target, &view.matrix) == GSL_SUCCESS)
    #expect(gsl_matrix_scale(&view.matrix, -1.0 / 3) == GSL_SUCCESS)
    for i in 0..<4 {
      for j in 0..<6 {
        let original = Double(i * 6 + j) / 7
        let inside = (1...4).contains(j)
        #expect(gsl_matrix_get(storage, i, j) == (inside ? original * (-1.0 / 3) : original))
        if inside { #expect(gsl_matrix_get(target, i, j - 1) == original) }
      }
    }
    #expect(gsl_matrix_memcpy(small, target) == GSL_EBADLEN)
  }
}

/// LAPACK's dgetrf and dgetrs from the optimized library, through GSL's names, for
/// large dense iteration matrices (dense_lu.c); skipped where no OpenBLAS is installed.
@Suite("Optimized LAPACK through GSL's names", .enabled(if: osteon_optimized_lapack() != nil))
struct DenseLAPACKContractTests {
  private func dense() -> OpaquePointer? { osteon_lu_context_dense(3) }

  /// Pivoting needed: the first column's largest entry is in the last row.
  @Test func solvesLikeGSLsLU() throws {
    try expectSolvesLikeGSL(dense, [[1, 2, 3], [4, -5, 6], [7, 8, -9]], [1, -2, 3])
  }

  @Test func aSingularMatrixFailsTheSolveLikeGSLs() throws {
    try withBound(dense) { lu in _ = expectSingularRefused(lu) }
  }

  /// A network whose Jacobian is full (every rate reads the sum of all states) runs
  /// on the optimized LAPACK above 64 states and agrees with KLU's run.
  @Test func aLargeDenseNetworkRunsOnLAPACK() throws {
    let n = 80
    var text = "S := " + (0...n).map { "A\($0)" }.joined(separator: " + ") + "\nA0 = 10\n"
    for index in 0..<n { text += "J\(index): A\(index) -> A\(index + 1); A\(index)/(1 + A\(index) + 0.01*S)\n" }
    let model = try compile(text, path: "dense.ant")
    #expect(LinearSolver.auto.resolved(for: model, method: .msbdf) == .dense)
    let problem = SimulationProblem(model: model, end: 10, points: 101)
    let dense = try solve(problem, .auto, rtol: 1e-8)
    let sparse = try solve(problem, .sparse, rtol: 1e-8)
    #expect(dense.statistics.denseLibrary != nil)
    #expect(dense.statistics.linearSolver == "dense")
    #expect(worstDifference(dense, sparse) < 1e-5)
  }
}
