public import WinnowModel

/// The type of a fact's value.
public enum FactType: String, Sendable, Codable, CaseIterable {
    case bool, number, string, strings, date
}

/// Where a fact's value comes from.
public enum FactSource: String, Sendable, Codable, CaseIterable {
    case request, profile, registry
    /// The other requests screened in the same batch.
    case batch
}

/// A known fact value.
public enum FactValue: Sendable, Hashable, Codable {
    case bool(Bool)
    case number(Double)
    case string(String)
    case strings([String])
    case date(Day)
    /// A number known only to lie between two bounds (from a date given to the month or the year).
    case numberRange(Double, Double)

    public var type: FactType {
        switch self {
        case .bool: return .bool
        case .number, .numberRange: return .number
        case .string: return .string
        case .strings: return .strings
        case .date: return .date
        }
    }

    /// How the value reads in an explanation.
    public var display: String {
        switch self {
        case .bool(let b): return b ? "yes" : "no"
        case .number(let n):
            if n == n.rounded() && abs(n) < 1e12 { return String(Int(n)) }
            return String(shortDecimal(n))
        case .string(let s): return s
        case .strings(let list): return list.isEmpty ? "none" : list.joined(separator: ", ")
        case .date(let d): return d.description
        case .numberRange(let lo, let hi): return "\(FactValue.number(lo).display) to \(FactValue.number(hi).display)"
        }
    }

    /// One decimal from 1 up; below 1, two significant digits, so that an index on a 0-1 scale
    /// (V-Dem's 0.056) never reads as the threshold it is compared with (0.1).
    private func shortDecimal(_ n: Double) -> String {
        var decimals = 1
        if n != 0 && abs(n) < 1 {
            decimals = 2
            var magnitude = abs(n)
            while magnitude < 0.1 && decimals < 6 { magnitude *= 10; decimals += 1 }
        }
        var factor = 1.0
        for _ in 0..<decimals { factor *= 10 }
        let scaled = (n * factor).rounded() / factor
        return scaled == scaled.rounded() ? String(Int(scaled)) : String(scaled)
    }
}

/// A fact as computed for one request: a value with its evidence, or unknown with the reason.
public struct FactResult: Sendable, Hashable {
    public var value: FactValue?
    public var evidence: [Evidence]
    /// Why the value is unknown (nil when known).
    public var unknownWhy: String?

    public static func known(_ value: FactValue, _ evidence: [Evidence] = []) -> FactResult {
        FactResult(value: value, evidence: evidence, unknownWhy: nil)
    }

    public static func unknown(_ why: String) -> FactResult {
        FactResult(value: nil, evidence: [], unknownWhy: why)
    }

    public static func bool(_ b: Bool, _ evidence: [Evidence] = []) -> FactResult { .known(.bool(b), evidence) }
    public static func number(_ n: Double, _ evidence: [Evidence] = []) -> FactResult { .known(.number(n), evidence) }

    /// A number between two bounds; `why` says what makes it imprecise, for the data gap a rule
    /// reports when its threshold falls between them.
    public static func range(_ lo: Double, _ hi: Double, why: String, _ evidence: [Evidence] = []) -> FactResult {
        lo == hi ? .number(lo, evidence) : FactResult(value: .numberRange(min(lo, hi), max(lo, hi)), evidence: evidence, unknownWhy: why)
    }
    public static func string(_ s: String, _ evidence: [Evidence] = []) -> FactResult { .known(.string(s), evidence) }
    public static func strings(_ s: [String], _ evidence: [Evidence] = []) -> FactResult { .known(.strings(s), evidence) }
}

/// What the facts are computed from. Every fact's computation receives it, so the request (a
/// large value) is held by reference and the context is cheap to pass.
public struct FactContext: Sendable {
    private final class RequestBox: Sendable {
        let request: Request
        init(_ request: Request) { self.request = request }
    }

    private var box: RequestBox
    public var request: Request {
        get { box.request }
        set { box = RequestBox(newValue) }
    }
    public var asOf: Day
    public var profiles: (any ProfileSource)?
    public var registry: (any RegistrySource)?
    /// Registry facts, computed once per request (they share the lookup of the subject).
    public var registryFacts: [String: FactResult] = [:]
    /// Links to other requests of the same batch (empty when screened alone).
    public var batchFacts: [String: FactResult] = [:]

    public init(request: Request, asOf: Day, profiles: (any ProfileSource)? = nil, registry: (any RegistrySource)? = nil) {
        box = RequestBox(request)
        self.asOf = asOf
        self.profiles = profiles
        self.registry = registry
    }

    /// Evidence quoting the request at `pointer`. Its file, XPath and line are filled in only if
    /// a finding reports it (`FactSheet.located`): most facts' evidence is never shown.
    func field(_ pointer: String, _ fact: String, _ quote: String) -> Evidence {
        Evidence(kind: .request, fact: fact, quote: quote, pointer: pointer)
    }
}

/// Facts about requesting states, as of a date (the profile issue provides one).
public protocol ProfileSource: Sendable {
    /// A short description for the report's provenance (data set and dates).
    var snapshot: String { get }
    func fact(_ name: String, context: FactContext) -> FactResult
}

/// Facts from the requested state's own records.
public protocol RegistrySource: Sendable {
    var snapshot: String { get }
    /// Every registry fact for the request in the context, computed together.
    func facts(context: FactContext) -> [String: FactResult]
}

/// A named, typed fact with its description, and how to compute it.
public final class FactDefinition: Sendable {
    public let name: String
    public let type: FactType
    public let source: FactSource
    public let description: String
    /// What data would settle the fact when it is unknown.
    public let settle: String
    let compute: @Sendable (FactContext) -> FactResult

    init(_ name: String, _ type: FactType, _ source: FactSource, _ description: String, settle: String,
         compute: @escaping @Sendable (FactContext) -> FactResult) {
        self.name = name
        self.type = type
        self.source = source
        self.description = description
        self.settle = settle
        self.compute = compute
    }
}

/// The facts of one request, by name. Each fact is worked out the first time a rule asks for it
/// and kept: a rule whose first condition fails never pays for the facts of the rest, and the
/// registry is searched only if a rule needs a registry fact. A sheet belongs to one screening
/// (one task); it is not shared between threads.
public struct FactSheet {
    private final class Storage {
        let catalogue: FactCatalogue
        var context: FactContext
        var computed: [FactResult?]
        var registryLoaded = false

        init(catalogue: FactCatalogue, context: FactContext) {
            self.catalogue = catalogue
            self.context = context
            computed = Array(repeating: nil, count: catalogue.definitions.count)
        }

        func result(at i: Int) -> FactResult {
            if let done = computed[i] { return done }
            let definition = catalogue.definitions[i]
            if definition.source == .registry, !registryLoaded {
                registryLoaded = true
                if let registry = context.registry { context.registryFacts = registry.facts(context: context) }
            }
            var result = definition.compute(context)
            if let value = result.value, value.type != definition.type {
                result = .unknown("internal: \(definition.name) computed a \(value.type.rawValue), not a \(definition.type.rawValue)")
            }
            computed[i] = result
            return result
        }
    }

    private let storage: Storage?
    private let given: [String: FactResult]
    /// Where the request's values stand, to locate the evidence a finding reports.
    public var sources: SourceMap

    /// A sheet of given facts (rule examples, tests); every other fact is unknown.
    public init(results: [String: FactResult], sources: SourceMap = SourceMap()) {
        storage = nil
        given = results
        self.sources = sources
    }

    /// The facts of the catalogue about the context's request, worked out as they are asked for.
    public init(catalogue: FactCatalogue, context: FactContext) {
        storage = Storage(catalogue: catalogue, context: context)
        given = [:]
        sources = context.request.sources
    }

    /// The request and day the sheet is about; nil for a sheet of given facts.
    public var context: FactContext? { storage?.context }

    public subscript(name: String) -> FactResult {
        guard let storage else { return given[name] ?? .unknown("no such fact") }
        guard let i = storage.catalogue.position(of: name) else { return .unknown("no such fact") }
        return storage.result(at: i)
    }

    /// Request evidence with its file, XPath and line filled in (from the field itself, or from the
    /// closest existing ancestor when the field is absent); other evidence as it is.
    public func located(_ evidence: Evidence) -> Evidence {
        guard evidence.kind == .request, evidence.file == nil, var pointer = evidence.pointer,
              let site = sources.resolve(pointer) else { return evidence }
        var location = site.location
        // The whole request (pointer "") is never quoted as one of its values.
        let inside = pointer.hasPrefix("/")
        var scalar = inside ? site.node.flatMap(SourceMap.scalar) : nil
        var out = evidence
        // A row about a whole object or list quotes the value that names it.
        if inside, location.pointer == pointer, let node = site.node, let named = SourceMap.namingScalar(in: node, at: pointer),
           let inner = sources[named.pointer] {
            pointer = named.pointer
            location = inner
            scalar = named.value
            out.pointer = named.pointer
        }
        out.file = location.file
        out.xpath = location.xpath
        out.line = location.line
        // The row quotes what stands at its pointer; what a fact made of it (a label, a joined
        // description) goes in the note, so a reviewer who opens the file finds the quote there.
        if location.pointer == pointer, let value = scalar, value != evidence.quote {
            out.quote = value
            // What the fact read it as, without repeating the value it starts with.
            var reading = evidence.quote
            if reading.hasPrefix(value), reading.count > value.count {
                reading = String(reading.dropFirst(value.count)).trimmingBlanks
                if reading.hasPrefix(":") { reading = String(reading.dropFirst()).trimmingBlanks }
            }
            out.note = ["read as: \(reading)", evidence.note].compactMap { $0 }.joined(separator: "; ")
        }
        return out
    }
}
