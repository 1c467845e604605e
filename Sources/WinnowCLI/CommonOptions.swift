import ArgumentParser
import Foundation
import Winnow

/// Options every command that reads requests shares.
struct IntakeOptions: ParsableArguments {
    @Option(name: .customLong("as-of"), help: "Evaluate as of this date (YYYY-MM-DD); default today.")
    var asOf: String?

    @Option(name: .customLong("max-bytes"), help: "Largest request file accepted, in bytes.")
    var maxBytes: Int = Intake.Limits().maxBytes

    func validate() throws {
        if let asOf, Day(asOf) == nil { throw ValidationError("--as-of: \"\(asOf)\" is not a date (YYYY-MM-DD)") }
        // A screening reads what was known on a day; a day to come has no record yet, the same
        // reason a received date in the future is refused.
        if let asOf, let day = Day(asOf), day > Day.today { throw ValidationError("--as-of: \(asOf) is in the future (today is \(Day.today))") }
        if maxBytes < 1 { throw ValidationError("--max-bytes must be positive") }
    }

    var day: Day { asOf.flatMap { Day($0) } ?? Day.today }

    var intake: Intake {
        var limits = Intake.Limits()
        limits.maxBytes = maxBytes
        return Intake(limits: limits, today: day)
    }
}
