/// Levenshtein distance over Unicode scalars: used for "did you mean" in every strict reader.
public func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var previous = Array(0...y.count)
    var current = previous
    for i in 1...x.count {
        current[0] = i
        for j in 1...y.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[y.count]
}

/// The closest of `candidates` to `word`, as a "(did you mean …?)" suffix, when it is close enough.
public func didYouMean(_ word: String, among candidates: some Sequence<String>, within limit: Int) -> String {
    let best = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }.min { $0.1 < $1.1 }
    guard let (name, distance) = best, distance <= limit else { return "" }
    return " (did you mean \"\(name)\"?)"
}
