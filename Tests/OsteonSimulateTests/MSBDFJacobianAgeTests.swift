import CGSL
import Foundation
import OsteonCompile
import OsteonNetwork
import Testing

@testable import OsteonSimulate

// GSL's msbdf keeps its Jacobian through rejected steps; Osteon resets the age of
// msbdf's Jacobian so that a retry starts from a fresh one (MSBDFJacobianAge). These
// check that the private state is recognised in the linked GSL and nowhere else, that
// resetting it makes msbdf evaluate the Jacobian, and that in a simulation every
// rejected step is followed by an evaluation.

/// y' = −y with its Jacobian; `params` points at a count of Jacobian evaluations.
private let decay:
  @convention(c) (Double, UnsafePointer<Double>?, UnsafeMutablePointer<Double>?, UnsafeMutableRawPointer?)
    -> Int32 = { _, y, f, _ in
      guard let y, let f else { return Int32(GSL_EBADFUNC) }
      f[0] = -y[0]
      return Int32(GSL_SUCCESS)
    }

private let decayJacobian:
  @convention(c) (
    Double, UnsafePointer<Double>?, UnsafeMutablePointer<Double>?, UnsafeMutablePointer<Double>?,
    UnsafeMutableRawPointer?
  ) -> Int32 = { _, _, matrix, dfdt, params in
    guard let matrix, let dfdt, let params else { return Int32(GSL_EBADFUNC) }
    matrix[0] = -1
    dfdt[0] = 0
    params.assumingMemoryBound(to: Int.self).pointee += 1
    return Int32(GSL_SUCCESS)
  }

/// A GSL driver for y' = −y with the given stepper, and its Jacobian count.
private final class DecayDriver {
  let system: UnsafeMutablePointer<gsl_odeiv2_system>
  let jacobians: UnsafeMutablePointer<Int>
  let driver: UnsafeMutablePointer<gsl_odeiv2_driver>

  init?(_ type: UnsafePointer<gsl_odeiv2_step_type>) {
    jacobians = .allocate(capacity: 1)
    jacobians.initialize(to: 0)
    system = .allocate(capacity: 1)
    system.initialize(
      to: gsl_odeiv2_system(
        function: decay, jacobian: decayJacobian, dimension: 1, params: UnsafeMutableRawPointer(jacobians)))
    guard let driver = gsl_odeiv2_driver_alloc_y_new(system, type, 1e-3, 1e-10, 1e-8) else {
      system.deallocate()
      jacobians.deallocate()
      return nil
    }
    self.driver = driver
  }

  deinit {
    gsl_odeiv2_driver_free(driver)
    system.deallocate()
    jacobians.deallocate()
  }

  /// One step of size h from t, from y.
  func step(_ t: Double, _ h: Double, _ y: inout [Double]) -> Int32 {
    var error = [0.0]
    return gsl_odeiv2_step_apply(driver.pointee.s, t, h, &y, &error, nil, nil, system)
  }
}

@Suite("msbdf Jacobian after rejected steps")
struct MSBDFJacobianAgeTests {
  @Test func theLinkedGSLStateIsRecognisedOnlyWhereItShouldBe() throws {
    gsl_set_error_handler_off()
    let msbdf = try #require(DecayDriver(osteon_step_msbdf()))
    #expect(MSBDFJacobianAge(driver: msbdf.driver, dimension: 1) != nil)
    // The wrong size, another stepper, and a state that has moved on are all refused.
    #expect(MSBDFJacobianAge(driver: msbdf.driver, dimension: 2) == nil)
    let bsimp = try #require(DecayDriver(osteon_step_bsimp()))
    #expect(MSBDFJacobianAge(driver: bsimp.driver, dimension: 1) == nil)
    var y = [1.0]
    #expect(msbdf.step(0, 0.01, &y) == Int32(GSL_SUCCESS))
    #expect(MSBDFJacobianAge(driver: msbdf.driver, dimension: 1) == nil)
  }

  @Test func expiringTheAgeMakesTheNextStepEvaluateTheJacobian() throws {
    gsl_set_error_handler_off()
    let msbdf = try #require(DecayDriver(osteon_step_msbdf()))
    let age = try #require(MSBDFJacobianAge(driver: msbdf.driver, dimension: 1))
    // Equal steps: the first evaluates the Jacobian, and msbdf would keep it for 50…
    var y = [1.0]
    for k in 0..<4 { #expect(msbdf.step(Double(k) * 0.01, 0.01, &y) == Int32(GSL_SUCCESS)) }
    #expect(msbdf.jacobians.pointee == 1)
    // …unless its age has been reset.
    age.expire()
    #expect(msbdf.step(0.04, 0.01, &y) == Int32(GSL_SUCCESS))
    #expect(msbdf.jacobians.pointee == 2)
    // Still the solution (low-order BDF with h = 0.01: global error about 2.5e-4).
    #expect(abs(y[0] - exp(-0.05)) < 1e-3)
  }

  /// HIRES at rtol 1e-6 has rejected steps; each is retried with a fresh Jacobian,
  /// where GSL alone would evaluate one only every 50 steps (12 in the whole run).
  @Test func everyRejectedStepIsFollowedByAJacobianEvaluation() throws {
    let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures/simulation/hires.ant")
    let text = try String(contentsOf: directory, encoding: .utf8)
    let loaded = Network.load(text: text, path: "hires.ant")
    let network = try #require(loaded.network, "\(loaded.renderedDiagnostics)")
    let problem = SimulationProblem(
      model: try CompiledModel(network: network), start: 0, end: 321.8122, points: 2, columns: ["y1"])
    let trajectory = try Simulator(options: SolverOptions()).solve(problem)
    let statistics = trajectory.statistics
    #expect(statistics.rejectedSteps > 0)
    #expect(
      statistics.jacobianEvaluations > statistics.rejectedSteps,
      "\(statistics.rejectedSteps) rejected steps, \(statistics.jacobianEvaluations) Jacobians")
  }
}
