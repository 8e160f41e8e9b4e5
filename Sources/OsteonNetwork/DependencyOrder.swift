/// Orders ids so that each comes after the ids it depends on, keeping the given
/// order where dependencies allow; reports each cycle once.
enum DependencyOrder {
  static func order(ids: [String], dependencies: (String) -> [String]) -> (order: [String], cycles: [[String]]) {
    let members = Set(ids)
    var state: [String: Int] = [:]  // 1 = on the path, 2 = done
    var result: [String] = []
    var cycles: [[String]] = []
    for root in ids where state[root] == nil {
      // Iterative depth-first search: deep rule chains must not exhaust the stack.
      var stack: [(id: String, next: Int, deps: [String])] = [(root, 0, dependencies(root).filter(members.contains))]
      var path: [String] = [root]
      state[root] = 1
      while !stack.isEmpty {
        let top = stack.count - 1
        if stack[top].next < stack[top].deps.count {
          let dependency = stack[top].deps[stack[top].next]
          stack[top].next += 1
          switch state[dependency] {
          case nil:
            state[dependency] = 1
            path.append(dependency)
            stack.append((dependency, 0, dependencies(dependency).filter(members.contains)))
          case 1:
            if let start = path.firstIndex(of: dependency) {
              cycles.append(Array(path[start...]) + [dependency])
            }
          default: break
          }
        } else {
          state[stack[top].id] = 2
          result.append(stack[top].id)
          stack.removeLast()
          path.removeLast()
        }
      }
    }
    return (result, cycles)
  }
}
