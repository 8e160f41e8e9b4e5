import CSmallBLAS
import Foundation
import OsteonCompile
import OsteonNetwork
import OsteonSimulate
import Testing

// Osteon's LU and CBLAS kernels act only if GSL's calls reach them: a libgsl linked
// with -Bsymbolic-functions binds its own LU internally, and a two-level namespace
// (macOS) binds every call to the library that defined it, so the replacement can be
// off without any result changing much. These tests run msbdf through the public
// Simulator API and read the kernels' call counts (per thread: the solve runs on the
// calling thread): a count that does not move means the kernels were bypassed.

/// Robertson's stiff problem (3 states), with the reference at t = 40 from the Test
/// Set for IVP Solvers (Mazzia & Magherini), to 10 digits.
private let robertson = """
  R1: y1 -> y2; 0.04*y1
  R2: 2 y2 -> y2 + y3; 3e7*y2^2
  R3: y2 + y3 -> y1 + y3; 1e4*y2*y3
  y1 = 1; y2 = 0; y3 = 0
  """
private let robertsonAt40 = [0.7158270687, 9.185534764e-06, 0.2841637457]

private func model(_ text: String) throws -> CompiledModel {
  let loaded = Network.load(text: text, path: "kernels.ant")
  let network = try #require(loaded.network, "\(loaded.renderedDiagnostics)")
  return try CompiledModel(network: network)
}

/// The counts that moved during `body`, which must not suspend (the counts are this
/// thread's).
private func counts(during body: () throws -> Void) rethrows -> osteon_kernel_counts {
  let before = osteon_small_kernel_counts()
  try body()
  let after = osteon_small_kernel_counts()
  return osteon_kernel_counts(
    dtrsv: after.dtrsv - before.dtrsv, dger: after.dger - before.dger, dnrm2: after.dnrm2 - before.dnrm2,
    dcopy: after.dcopy - before.dcopy, dscal: after.dscal - before.dscal,
    lu_decomp: after.lu_decomp - before.lu_decomp, lu_solve: after.lu_solve - before.lu_solve)
}

/// Where the dynamic linker lets an executable's definitions stand in for a library's.
private let interpositionApplies: Bool = {
  #if os(Linux)
    return true
  #else
    return false
  #endif
}()

@Suite("Kernel use")
struct KernelUseTests {
  @Test(.enabled(if: interpositionApplies))
  func msbdfStepsRunOnOsteonsKernels() throws {
    let problem = SimulationProblem(model: try model(robertson), end: 40, points: 2)
    var trajectory: Trajectory?
    let used = try counts { trajectory = try Simulator(options: SolverOptions()).solve(problem) }
    let solved = try #require(trajectory)
    #expect(solved.statistics.steps > 0)
    // Every factorization and solve of msbdf's Newton iteration, and its norms.
    #expect(used.lu_decomp > 0, "gsl_linalg_LU_decomp bypassed (libgsl bound to its own?)")
    #expect(used.lu_solve >= used.lu_decomp, "gsl_linalg_LU_solve bypassed")
    #expect(used.dnrm2 > 0, "cblas_dnrm2 bypassed (libgslcblas bound to its own?)")
    #expect(Int(used.lu_decomp) >= solved.statistics.jacobianEvaluations)
    for (index, id) in ["y1", "y2", "y3"].enumerated() {
      let value = try #require(solved.value(id, at: 40))
      #expect(abs(value - robertsonAt40[index]) <= 1e-4 * robertsonAt40[index], "\(id)(40) = \(value)")
    }
  }

  /// Above OSTEON_SMALL_LIMIT unknowns the library's own LU runs (or its port): the
  /// kernels leave systems they were not meant for alone. A chain of 70 first-order
  /// decays, x_k' = x_{k-1} − x_k with x_0' = −x_0 and x(0) = (1, 0, …): exactly
  /// x_k(t) = tᵏ e⁻ᵗ / k!.
  @Test func systemsAboveTheLimitGoToTheLibrary() throws {
    let size = Int(OSTEON_SMALL_LIMIT) + 6
    var text = "x0' = -x0; x0 = 1\n"
    for k in 1..<size { text += "x\(k)' = x\(k - 1) - x\(k); x\(k) = 0\n" }
    var problem = SimulationProblem(model: try model(text), end: 2, points: 2)
    problem.columns = ["x0", "x1", "x2"]
    var options = SolverOptions()
    options.relativeTolerance = 1e-8
    // Dense: by default a chain this size and this sparse goes to KLU instead.
    options.linearSolver = .dense
    var trajectory: Trajectory?
    let used = try counts { trajectory = try Simulator(options: options).solve(problem) }
    #expect(used.lu_decomp == 0 && used.lu_solve == 0)
    let solved = try #require(trajectory)
    let exact = [exp(-2.0), 2 * exp(-2.0), 2 * exp(-2.0)]
    for (index, id) in ["x0", "x1", "x2"].enumerated() {
      let value = try #require(solved.value(id, at: 2))
      #expect(abs(value - exact[index]) <= 1e-6 * exact[index], "\(id)(2) = \(value)")
    }
  }
}
