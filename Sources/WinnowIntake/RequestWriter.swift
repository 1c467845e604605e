import Foundation
import WinnowModel

/// Writes a request document in either canonical form. Used by `winnow convert` and by the tests
/// that prove the XML and JSON forms mirror each other.
enum RequestWriter {
    /// Leaves that are numbers or booleans in JSON (XML carries every leaf as text).
    static let integerKeys: Set<String> = ["maxPenaltyMonths", "remainingSentenceMonths", "amount"]
    static let booleanKeys: Set<String> = ["inAbsentia", "consent", "sameCase", "reopened", "released", "retrialGuaranteed"]

    static func json(_ node: DocNode) -> String {
        var out = ""
        writeJSON(node, key: nil, indent: 0, into: &out)
        return out + "\n"
    }

    private static func writeJSON(_ node: DocNode, key: String?, indent: Int, into out: inout String) {
        let pad = String(repeating: "  ", count: indent + 1)
        let closePad = String(repeating: "  ", count: indent)
        switch node.value {
        case .object(let members):
            guard !members.isEmpty else { out += "{}"; return }
            out += "{\n"
            for (i, (k, child)) in members.enumerated() {
                out += pad + jsonStringLiteral(k) + ": "
                writeJSON(child, key: k, indent: indent + 1, into: &out)
                out += i == members.count - 1 ? "\n" : ",\n"
            }
            out += closePad + "}"
        case .array(let items):
            guard !items.isEmpty else { out += "[]"; return }
            out += "[\n"
            for (i, child) in items.enumerated() {
                out += pad
                writeJSON(child, key: nil, indent: indent + 1, into: &out)
                out += i == items.count - 1 ? "\n" : ",\n"
            }
            out += closePad + "]"
        case .string(let s):
            if let key, integerKeys.contains(key), Int(s) != nil { out += s }
            else if let key, booleanKeys.contains(key), s == "true" || s == "false" || s == "1" || s == "0" {
                out += (s == "true" || s == "1") ? "true" : "false"
            } else { out += jsonStringLiteral(s) }
        case .number(let literal): out += literal
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        }
    }

    static func xml(_ node: DocNode) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<request xmlns=\"\(RequestFormat.namespace)\">\n"
        if case .object(let members) = node.value {
            for (k, child) in members { writeXML(child, name: k, indent: 1, into: &out) }
        }
        return out + "</request>\n"
    }

    private static func writeXML(_ node: DocNode, name: String, indent: Int, into out: inout String) {
        let pad = String(repeating: "  ", count: indent)
        switch node.value {
        case .object(let members):
            out += "\(pad)<\(name)>\n"
            for (k, child) in members { writeXML(child, name: k, indent: indent + 1, into: &out) }
            out += "\(pad)</\(name)>\n"
        case .array(let items):
            guard let itemName = RequestFormat.listItems[name] else { return }
            if items.isEmpty { out += "\(pad)<\(name)/>\n"; return }
            out += "\(pad)<\(name)>\n"
            for child in items { writeXML(child, name: itemName, indent: indent + 1, into: &out) }
            out += "\(pad)</\(name)>\n"
        case .string(let s): out += "\(pad)<\(name)>\(escapeXML(s))</\(name)>\n"
        case .number(let literal): out += "\(pad)<\(name)>\(literal)</\(name)>\n"
        case .bool(let b): out += "\(pad)<\(name)>\(b)</\(name)>\n"
        case .null: break
        }
    }

    /// Characters XML 1.0 cannot carry, even escaped: C0 controls but tab, line feed and carriage
    /// return, and U+FFFE, U+FFFF.
    static func isXMLChar(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x09, 0x0A, 0x0D: return true
        case 0x00...0x1F, 0xFFFE, 0xFFFF: return false
        default: return true
        }
    }

    static func unrepresentableInXML(_ node: DocNode, pointer: String, file: String, into problems: inout [Diagnostic]) {
        switch node.value {
        case .object(let members):
            for (k, child) in members { unrepresentableInXML(child, pointer: pointer + "/" + k, file: file, into: &problems) }
        case .array(let items):
            for (i, child) in items.enumerated() { unrepresentableInXML(child, pointer: pointer + "/\(i)", file: file, into: &problems) }
        case .string(let s):
            if let bad = s.unicodeScalars.first(where: { !isXMLChar($0) }) {
                let code = String(bad.value, radix: 16, uppercase: true)
                problems.append(Diagnostic(file: file, line: node.line, path: pointer,
                                           message: "contains U+\(String(repeating: "0", count: max(0, 4 - code.count)) + code), which XML cannot hold; remove it before converting"))
            }
        default: break
        }
    }

    static func escapeXML(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}

extension RequestWriter {
    /// A format 1.0 document as format 2.0: the version, and each person's `occupation` as a list
    /// of one in `occupations`, in the same place. Everything else is the same in both versions.
    static func upgraded(_ root: DocNode) -> DocNode {
        guard case .object(var members) = root.value else { return root }
        for i in members.indices {
            switch members[i].key {
            case "formatVersion":
                members[i].node = DocNode(.string(RequestFormat.version), line: members[i].node.line)
            case "persons":
                guard case .array(let persons) = members[i].node.value else { continue }
                members[i].node = DocNode(.array(persons.map(upgradedPerson)), line: members[i].node.line)
            default:
                continue
            }
        }
        return DocNode(.object(members), line: root.line)
    }

    private static func upgradedPerson(_ person: DocNode) -> DocNode {
        guard case .object(var members) = person.value, let i = members.firstIndex(where: { $0.key == "occupation" }) else { return person }
        let occupation = members[i].node
        members[i] = (key: "occupations", node: DocNode(.array([occupation]), line: occupation.line))
        return DocNode(.object(members), line: person.line)
    }
}

extension Intake {
    /// Reads a request file (checked in full) and writes it in the other canonical form.
    public func convert(path: String, to format: RequestFormat, upgrade: Bool = false) throws(IntakeError) -> String {
        // Only valid requests are converted; the document checked is the one written out.
        var root = try document(bytes: try read(path), name: path).root
        if upgrade {
            root = RequestWriter.upgraded(root)
            let json = RequestWriter.json(root)
            do { _ = try document(bytes: Array(json.utf8), name: path + " (upgraded)") } catch {
                throw .invalid([Diagnostic(file: path, message: "the upgraded request would not be valid: \(error.description)")])
            }
        }
        guard format == .xml else { return RequestWriter.json(root) }
        // What XML cannot hold is refused with its pointer, never written as a document that the
        // validator would then reject.
        var problems: [Diagnostic] = []
        RequestWriter.unrepresentableInXML(root, pointer: "", file: path, into: &problems)
        if !problems.isEmpty { throw .invalid(problems) }
        let xml = RequestWriter.xml(root)
        do { _ = try document(bytes: Array(xml.utf8), name: path + " (as XML)") } catch {
            throw .invalid([Diagnostic(file: path, message: "the XML form would not be a valid request: \(error.description)")])
        }
        return xml
    }
}
