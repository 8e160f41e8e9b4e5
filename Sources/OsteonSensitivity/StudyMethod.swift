/// The global methods a study can run.
public enum StudyMethod: String, Sendable, CaseIterable {
  case sobol
  case morris
}
