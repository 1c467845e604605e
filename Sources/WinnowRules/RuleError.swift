/// A problem in the rule pack, located in its file.
public struct RuleProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): \(message)" }
}

/// The pack did not load: every problem found.
public struct RulePackError: Error, Sendable, CustomStringConvertible {
    public var problems: [RuleProblem]
    public init(problems: [RuleProblem]) { self.problems = problems }
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
