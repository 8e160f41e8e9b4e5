import OsteonExport

/// The result tables of `osteon sensitivity` in the format asked for (`--format`).
/// The design and the model outputs stay CSV whatever it is: SALib reads them with
/// `np.loadtxt(…, delimiter=",")`, and `merge` and resuming read the shard files.
enum SensitivityTables {
  static let alwaysCSV: Set<String> = ["design.csv", "outputs.csv"]

  static func files(_ files: [(name: String, text: String)], as format: TableFormat) -> [(name: String, text: String)] {
    guard format != .csv else { return files }
    return files.map { file in
      guard file.name.hasSuffix(".csv"), !alwaysCSV.contains(file.name), let table = Table(csv: file.text) else {
        return file
      }
      return (String(file.name.dropLast(4)) + "." + format.fileExtension, table.text(as: format))
    }
  }
}
