#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import Foundation
public import WinnowModel

/// Reads request files: size and content checks, parsing (libxml2 or the strict JSON reader),
/// schema validation (XSD or JSON Schema), model building and semantic checks.
public struct Intake: Sendable {
    public struct Limits: Sendable {
        /// Largest file accepted, in bytes. Requests are small; anything larger is refused unread.
        public var maxBytes: Int = 8 * 1024 * 1024
        /// Deepest JSON nesting accepted (the format itself needs 5). libxml2 applies its own limit
        /// (256) to XML.
        public var maxJSONDepth: Int = 64
        /// Most values (JSON) or elements (XML) in one request: real requests have hundreds.
        public var maxNodes: Int = 50_000
        /// Most attributes on one XML element, and namespace declarations in one document: the
        /// format needs one; libxml2 spends time quadratic in them.
        public var maxAttributesPerElement: Int = 32
        public var maxNamespaceDeclarations: Int = 32
        /// Schema errors listed for one document; the rest are counted.
        public var maxErrors: Int = 100
        public init() {}
    }

    public var limits: Limits
    /// "Today" for the future-date checks: the as-of date of the run.
    public var today: Day

    public init(limits: Limits = Limits(), today: Day) {
        self.limits = limits
        self.today = today
    }

    /// The shipped schemas, loaded once per process.
    private static let schemas: Result<(xsd: XSDSchema, json: JSONSchema), IntakeError> = {
        guard let xsdURL = Bundle.module.url(forResource: "request", withExtension: "xsd", subdirectory: "Schemas"),
              let jsonURL = Bundle.module.url(forResource: "request.schema", withExtension: "json", subdirectory: "Schemas")
        else { return .failure(.internal("the request schemas are missing from the Winnow resources")) }
        do {
            let xsd = try XSDSchema(path: xsdURL.path)
            let bytes = try [UInt8](Data(contentsOf: jsonURL))
            let json = try JSONSchema(try JSONReader.parse(bytes))
            return .success((xsd, json))
        } catch let error as IntakeError {
            return .failure(error)
        } catch {
            return .failure(.internal("the JSON request schema does not load: \(error)"))
        }
    }()

    /// Paths of the shipped schemas (for documentation and `winnow schema`).
    public static var schemaURLs: [URL] {
        [Bundle.module.url(forResource: "request", withExtension: "xsd", subdirectory: "Schemas"),
         Bundle.module.url(forResource: "request.schema", withExtension: "json", subdirectory: "Schemas")]
            .compactMap { $0 }
    }

    /// Reads and checks one file. `name` is what diagnostics call it (the path as given).
    public func load(path: String) throws(IntakeError) -> Request {
        try load(bytes: try read(path), name: path)
    }

    /// Reads the file, refusing what is missing, a folder or too large. A pipe or a growing file
    /// is read to at most one byte past the limit, so it is bounded too.
    public func read(_ path: String) throws(IntakeError) -> [UInt8] {
        func bad(_ message: String) -> IntakeError { .invalid([Diagnostic(file: path, message: message)]) }
        // O_NONBLOCK: opening a FIFO that no one writes to would otherwise block forever. Once the
        // file is open, reads block again (a FIFO with no writer then reads as empty).
        let fd = RawFileName.withCPath(path) { open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        guard fd >= 0 else {
            throw bad(errno == ENOENT ? "no such file" : "cannot open the file for reading (\(String(cString: strerror(errno))))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw bad("cannot read the file's status") }
        let kind = info.st_mode & S_IFMT
        // A FIFO stays non-blocking: with no writer it reads as empty at once; with one, the read
        // waits in poll(2) for data or the writer's close. Anything else reads as usual.
        if kind != S_IFIFO { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) }
        if kind == S_IFCHR || kind == S_IFBLK || kind == S_IFSOCK { throw bad("is a device or socket, not a request file") }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw bad("is a directory, not a request file") }
        if (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) > limits.maxBytes {
            throw bad("file is \(info.st_size) bytes, over the limit of \(limits.maxBytes) bytes for one request")
        }
        let capacity = limits.maxBytes + 1
        var bytes = [UInt8](repeating: 0, count: (info.st_mode & S_IFMT) == S_IFREG ? min(Int(info.st_size) + 1, capacity) : min(1 << 16, capacity))
        var count = 0
        while count < capacity {
            if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: min(bytes.count, capacity - bytes.count))) }
            let n = bytes.withUnsafeMutableBytes { buffer in
                posixRead(fd, buffer.baseAddress! + count, buffer.count - count)
            }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK {
                    var waiting = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                    _ = poll(&waiting, 1, -1)
                    continue
                }
                throw bad("cannot read the file (\(String(cString: strerror(errno))))")
            }
            if n == 0 { break }
            count += n
        }
        if count > limits.maxBytes {
            throw bad("file is over the limit of \(limits.maxBytes) bytes for one request")
        }
        bytes.removeLast(bytes.count - count)
        return bytes
    }

    /// Parses, validates and checks the bytes of one request.
    public func load(bytes: [UInt8], name: String) throws(IntakeError) -> Request {
        try document(bytes: bytes, name: name).request
    }

    /// Parses, validates and checks the bytes of one request; also returns the parsed document,
    /// for those (like `convert`) that write it out again.
    func document(bytes: [UInt8], name: String) throws(IntakeError) -> (root: DocNode, request: Request) {
        func bad(_ message: String, line: Int? = nil) -> IntakeError {
            .invalid([Diagnostic(file: name, line: line, message: message)])
        }
        if bytes.count > limits.maxBytes {
            throw bad("input is \(bytes.count) bytes, over the limit of \(limits.maxBytes) bytes for one request")
        }
        if bytes.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) { throw bad("empty file: no request in it") }
        if let nul = bytes.firstIndex(of: 0) {
            throw bad("binary content (a NUL byte at offset \(nul)): not a request file")
        }
        guard let format = RequestFormat.detect(name: name, bytes: bytes) else {
            throw bad("neither XML nor JSON: a request file starts with '<' or '{'")
        }
        let schemas: (xsd: XSDSchema, json: JSONSchema)
        switch Intake.schemas {
        case .success(let s): schemas = s
        case .failure(let e): throw e
        }
        let root: DocNode
        switch format {
        case .xml:
            do { root = try XMLReader.read(bytes, name: name, schema: schemas.xsd, limits: limits) } catch {
                throw .invalid(error.problems.map { Diagnostic(file: name, line: $0.line, path: $0.xpath, message: $0.message) })
            }
        case .json:
            var body = bytes[...]
            if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
            if let offset = invalidUTF8Offset(body) { throw bad("not valid UTF-8 (at byte \(offset))") }
            do { root = try JSONReader.parse(Array(body), maxDepth: limits.maxJSONDepth, maxNodes: limits.maxNodes) } catch {
                throw bad(error.message, line: error.line)
            }
            return (root, try checked(root: root, name: name))
        }
        let request: Request
        do { request = try RequestBuilder.build(root, file: name, xml: format == .xml) } catch {
            throw .invalid([Diagnostic(file: name, line: error.line, path: error.pointer, message: error.message)])
        }
        let problems = RequestChecker.check(request, today: today)
        if !problems.isEmpty { throw .invalid(problems) }
        return (root, request)
    }

    /// Checks a canonical JSON document (read from a request file, or made by another reader such
    /// as the INTERPOL notice record's): the JSON Schema, the model, the semantic checks.
    func checked(root: DocNode, name: String) throws(IntakeError) -> Request {
        let schemas: (xsd: XSDSchema, json: JSONSchema)
        switch Intake.schemas {
        case .success(let s): schemas = s
        case .failure(let e): throw e
        }
        let violations = schemas.json.validate(root)
        if !violations.isEmpty {
            throw .invalid(violations.map { Diagnostic(file: name, line: $0.line, path: $0.pointer, message: $0.message) })
        }
        let request: Request
        do { request = try RequestBuilder.build(root, file: name, xml: false) } catch {
            throw .invalid([Diagnostic(file: name, line: error.line, path: error.pointer, message: error.message)])
        }
        let problems = RequestChecker.check(request, today: today)
        if !problems.isEmpty { throw .invalid(problems) }
        return request
    }

    private func invalidUTF8Offset(_ bytes: ArraySlice<UInt8>) -> Int? {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s): offset += UTF8.width(s)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }
}

/// read(2), under a name that the `Intake.read` method does not hide.
private func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}
