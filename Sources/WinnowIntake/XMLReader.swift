import CLibXML2
import Foundation
import WinnowModel

/// Reads an XML request through libxml2 with safe options, validates it against the shipped XSD and
/// turns it into a `DocNode` tree that records each element's XPath and line.
///
/// Safety: no entity substitution (`XML_PARSE_NOENT` is never set), no DTD loading, no network, no
/// XInclude, libxml2's default depth limit (no `XML_PARSE_HUGE`), and any DOCTYPE at all is refused
/// by a SAX hook before an entity declaration can be read.
enum XMLReader {
    struct Failure: Error, Sendable {
        var problems: [(line: Int?, xpath: String?, message: String)]
    }

    static let parseOptions = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue
        | XML_PARSE_NOWARNING.rawValue | XML_PARSE_BIG_LINES.rawValue | XML_PARSE_NOCDATA.rawValue
        | XML_PARSE_COMPACT.rawValue)

    /// libxml2's one-time initialisation, done once before any parser or schema is made.
    static let initialised: Bool = {
        xmlInitParser()
        return true
    }()

    /// Counts what makes libxml2 slow before it sees the document: elements, attributes on one
    /// element and namespace declarations, in one linear pass over the bytes (quoted attribute
    /// values, comments and CDATA are skipped). Returns the first limit passed, with its line.
    static func prescan(_ bytes: [UInt8], limits: Intake.Limits) -> (line: Int, message: String)? {
        bytes.withUnsafeBufferPointer { prescan($0, limits: limits) }
    }

    private static let commentOpen = Array("<!--".utf8), commentClose = Array("-->".utf8)
    private static let cdataOpen = Array("<![CDATA[".utf8), cdataClose = Array("]]>".utf8)
    private static let xmlns = Array("xmlns".utf8)

    /// One pass over the bytes, without allocating: every request is prescanned before libxml2 sees it.
    static func prescan(_ bytes: UnsafeBufferPointer<UInt8>, limits: Intake.Limits) -> (line: Int, message: String)? {
        var line = 1, elements = 0, namespaces = 0, depth = 0
        var i = 0
        let n = bytes.count
        func starts(_ u: [UInt8], at j: Int) -> Bool {
            guard j + u.count <= n else { return false }
            for k in 0..<u.count where bytes[j + k] != u[k] { return false }
            return true
        }
        while i < n {
            let b = bytes[i]
            if b == 0x0A { line += 1; i += 1; continue }
            guard b == UInt8(ascii: "<") else { i += 1; continue }
            if i + 1 < n, bytes[i + 1] == UInt8(ascii: "!"), starts(commentOpen, at: i) || starts(cdataOpen, at: i) {
                let end = starts(commentOpen, at: i) ? commentClose : cdataClose
                i += 4
                while i < n && !(bytes[i] == end[0] && starts(end, at: i)) { if bytes[i] == 0x0A { line += 1 }; i += 1 }
                i += 3
                continue
            }
            if i + 1 < n, bytes[i + 1] == UInt8(ascii: "/") { depth -= 1; i += 1; continue }
            guard i + 1 < n, bytes[i + 1] != UInt8(ascii: "?"), bytes[i + 1] != UInt8(ascii: "!") else { i += 1; continue }
            elements += 1
            depth += 1
            if depth > 256 { return (line, "elements nested deeper than libxml2's limit of 256 levels") }
            if elements > limits.maxNodes { return (line, "more than \(limits.maxNodes) elements in one document; a request needs far fewer") }
            // Inside the tag: count attributes (an '=' outside quotes) and xmlns declarations.
            var attributes = 0
            var quote: UInt8 = 0
            i += 1
            while i < n {
                let c = bytes[i]
                if c == 0x0A { line += 1 }
                if quote != 0 { if c == quote { quote = 0 } }
                else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") { quote = c }
                else if c == UInt8(ascii: ">") {
                    if i > 0, bytes[i - 1] == UInt8(ascii: "/") { depth -= 1 }   // <empty/>
                    break
                }
                else if c == UInt8(ascii: "=") {
                    attributes += 1
                    if attributes > limits.maxAttributesPerElement {
                        return (line, "an element with more than \(limits.maxAttributesPerElement) attributes; a request needs none")
                    }
                } else if c == UInt8(ascii: "x"), i > 0, bytes[i - 1] == 0x20 || bytes[i - 1] == 0x09 || bytes[i - 1] == 0x0A || bytes[i - 1] == 0x0D,
                          starts(xmlns, at: i) {
                    namespaces += 1
                    if namespaces > limits.maxNamespaceDeclarations {
                        return (line, "more than \(limits.maxNamespaceDeclarations) namespace declarations; a request needs one")
                    }
                }
                i += 1
            }
            i += 1
        }
        return nil
    }

    static func read(_ bytes: [UInt8], name: String, schema: XSDSchema, limits: Intake.Limits = Intake.Limits()) throws(Failure) -> DocNode {
        _ = initialised
        if let refused = prescan(bytes, limits: limits) { throw Failure(problems: [(refused.line, nil, refused.message)]) }
        guard let ctxt = xmlNewParserCtxt() else {
            throw Failure(problems: [(nil, nil, "libxml2 could not allocate a parser")])
        }
        defer { xmlFreeParserCtxt(ctxt) }
        winnow_install_dtd_guard(ctxt)
        let doc: xmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { base in
                xmlCtxtReadMemory(ctxt, base, Int32(buffer.count), name, nil, parseOptions)
            }
        }
        defer { if let doc { xmlFreeDoc(doc) } }
        if winnow_dtd_was_refused(ctxt) != 0 {
            throw Failure(problems: [(Int(ctxt.pointee.input?.pointee.line ?? 0), nil,
                "DOCTYPE declarations are not accepted in requests (they carry entities and external references)")])
        }
        // A namespace error (`xmlns:xml="urn:evil"`, an undeclared prefix) makes the document not
        // namespace-well-formed, though libxml2 still builds it.
        if doc != nil, ctxt.pointee.wellFormed != 0, ctxt.pointee.nsWellFormed == 0 {
            let error = xmlCtxtGetLastError(ctxt)
            throw Failure(problems: [(error.map { Int($0.pointee.line) }, nil,
                                      "not namespace-well-formed: " + (error.map { friendlier(cleanMessage($0.pointee.message)) } ?? "a namespace error"))])
        }
        guard let doc, ctxt.pointee.wellFormed != 0 else {
            if let error = xmlCtxtGetLastError(ctxt) {
                throw Failure(problems: [(Int(error.pointee.line), nil, friendlier(cleanMessage(error.pointee.message)))])
            }
            throw Failure(problems: [(nil, nil, "not well-formed XML")])
        }
        guard let root = xmlDocGetRootElement(doc) else {
            throw Failure(problems: [(nil, nil, "no root element")])
        }
        let problems = schema.validate(doc, maxErrors: limits.maxErrors)
        guard problems.isEmpty else { throw Failure(problems: problems) }
        return convert(root, name: localName(root))
    }

    /// Builds the tree. The document is XSD-valid by now, so the shape is known: wrappers become
    /// arrays, elements with element children become objects, the rest are (trimmed) strings.
    /// Paths are not built here: the request's `SourceMap` works them out when asked.
    private static func convert(_ element: xmlNodePtr, name: String) -> DocNode {
        let line = Int(xmlGetLineNo(element))
        let children = elementChildren(element)
        if RequestFormat.listItems[name] != nil {
            return DocNode(.array(children.map { convert($0, name: localName($0)) }), line: line)
        }
        if !children.isEmpty {
            return DocNode(.object(children.map { child -> (key: String, node: DocNode) in
                let childName = localName(child)
                return (childName, convert(child, name: childName))
            }), line: line)
        }
        return DocNode(.string(text(of: element).trimmingWhitespace), line: line)
    }

    /// The text of a leaf element. The usual case, one text node, is read in place; anything else
    /// (text split by comments or processing instructions) goes through xmlNodeGetContent.
    static func text(of element: xmlNodePtr) -> String {
        guard let first = element.pointee.children else { return "" }
        if first.pointee.next == nil, first.pointee.type == XML_TEXT_NODE, let content = first.pointee.content {
            return String(cString: content)
        }
        guard let content = xmlNodeGetContent(element) else { return "" }
        defer { winnow_xml_free(content) }
        return String(cString: content)
    }

    static func elementChildren(_ element: xmlNodePtr) -> [xmlNodePtr] {
        var out: [xmlNodePtr] = []
        var child = element.pointee.children
        while let c = child {
            if c.pointee.type == XML_ELEMENT_NODE { out.append(c) }
            child = c.pointee.next
        }
        return out
    }

    static func localName(_ node: xmlNodePtr) -> String {
        node.pointee.name.map { String(cString: $0) } ?? ""
    }

    /// XPath of an element as reviewers read it: local names, `[n]` among same-named siblings
    /// inside list wrappers.
    static func xpath(of node: xmlNodePtr) -> String {
        var parts: [String] = []
        var current: xmlNodePtr? = node
        while let n = current, n.pointee.type == XML_ELEMENT_NODE {
            let name = localName(n)
            if let parent = n.pointee.parent, parent.pointee.type == XML_ELEMENT_NODE,
               RequestFormat.listItems[localName(parent)] != nil {
                let index = elementChildren(parent).firstIndex { $0 == n }.map { $0 + 1 } ?? 1
                parts.append("\(name)[\(index)]")
            } else {
                parts.append(name)
            }
            current = n.pointee.parent
        }
        return "/" + parts.reversed().joined(separator: "/")
    }

    /// libxml2's advice to lift a safety limit is not advice for a reviewer.
    static func friendlier(_ message: String) -> String {
        if message.hasPrefix("Excessive depth in document") {
            return "elements nested deeper than libxml2's limit of 256 levels"
        }
        return message
    }

    /// libxml2 messages end in a newline and name elements as `{namespace}local`.
    static func cleanMessage(_ message: UnsafeMutablePointer<CChar>?) -> String {
        guard let message else { return "XML error" }
        return String(cString: message)
            .replacingOccurrences(of: "{\(RequestFormat.namespace)}", with: "")
            .trimmingWhitespace
    }
}

/// The shipped request XSD, parsed once and shared: libxml2 allows one parsed schema to serve
/// validation contexts on many threads.
final class XSDSchema: @unchecked Sendable {
    private let schema: xmlSchemaPtr

    init(path: String) throws(IntakeError) {
        _ = XMLReader.initialised
        guard let parser = xmlSchemaNewParserCtxt(path) else {
            throw .internal("cannot open the request schema at \(path)")
        }
        defer { xmlSchemaFreeParserCtxt(parser) }
        xmlSchemaSetParserStructuredErrors(parser, { _, _ in }, nil)
        guard let schema = xmlSchemaParse(parser) else {
            throw .internal("the request schema at \(path) does not load")
        }
        self.schema = schema
    }

    deinit { xmlSchemaFree(schema) }

    private final class Collector {
        var problems: [(line: Int?, xpath: String?, message: String)] = []
        var limit = Int.max
        var more = 0
    }

    /// Schema errors, at most `maxErrors` of them in full; the rest are counted in a last line
    /// (working out an XPath for each of 40,000 errors took longer than the validation).
    func validate(_ doc: xmlDocPtr, maxErrors: Int = 100) -> [(line: Int?, xpath: String?, message: String)] {
        guard let ctxt = xmlSchemaNewValidCtxt(schema) else {
            return [(nil, nil, "libxml2 could not allocate a schema validator")]
        }
        defer { xmlSchemaFreeValidCtxt(ctxt) }
        let collector = Collector()
        collector.limit = maxErrors
        let box = Unmanaged.passRetained(collector)
        defer { box.release() }
        xmlSchemaSetValidStructuredErrors(ctxt, { userData, error in
            guard let userData, let error else { return }
            let collector = Unmanaged<Collector>.fromOpaque(userData).takeUnretainedValue()
            guard collector.problems.count < collector.limit else { collector.more += 1; return }
            var xpath: String?
            if let raw = error.pointee.node {
                let node = raw.assumingMemoryBound(to: xmlNode.self)
                if node.pointee.type == XML_ELEMENT_NODE { xpath = XMLReader.xpath(of: node) }
            }
            let line = Int(error.pointee.line)
            collector.problems.append((line > 0 ? line : nil, xpath, XMLReader.cleanMessage(error.pointee.message)))
        }, box.toOpaque())
        let result = xmlSchemaValidateDoc(ctxt, doc)
        if result != 0 && collector.problems.isEmpty {
            return [(nil, nil, "does not conform to the request schema")]
        }
        if collector.more > 0 { collector.problems.append((nil, nil, "and \(collector.more) more schema errors")) }
        return collector.problems
    }
}
