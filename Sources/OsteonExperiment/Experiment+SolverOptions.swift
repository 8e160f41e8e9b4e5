import OsteonSimulate

extension Experiment.SolverSettings {
  /// The solver options these settings ask for; `nil` when the method is unknown.
  package var solverOptions: SolverOptions? {
    guard let method = IntegrationMethod(rawValue: method) else { return nil }
    var options = SolverOptions()
    options.method = method
    options.relativeTolerance = relativeTolerance
    options.absoluteTolerance = .scaledToStart(absoluteTolerance)
    options.maximumSteps = maximumSteps
    options.linearSolver = linearSolver
    return options
  }

  /// The error for an unknown method, at `solver.method`.
  package var unknownMethodMessage: (message: String, path: KeyPath, hint: String) {
    (
      "unknown method `\(method)`", KeyPath.root.appending("solver").appending("method"),
      "methods: \(IntegrationMethod.allCases.map(\.rawValue).joined(separator: ", "))"
    )
  }
}
