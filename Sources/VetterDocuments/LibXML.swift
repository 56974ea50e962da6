import CLibXML2
import Foundation
import VetterCore

/// A small immutable XML tree built from libxml2, so readers can walk documents in Swift.
///
/// Entity references are never expanded: parsing uses `XML_PARSE_NONET` without `NOENT`,
/// `DTDLOAD` or `HUGE`, a refuse-all external entity loader is installed, and documents that
/// declare entities are refused before parsing.
final class XMLElement: @unchecked Sendable {
    enum Child {
        case element(XMLElement)
        case text(String)
    }

    let name: String
    let namespace: String?
    let attributes: [String: String]
    private(set) var children: [Child] = []

    init(name: String, namespace: String?, attributes: [String: String]) {
        self.name = name
        self.namespace = namespace
        self.attributes = attributes
    }

    var elements: [XMLElement] {
        children.compactMap { if case .element(let e) = $0 { e } else { nil } }
    }

    func child(_ name: String) -> XMLElement? { elements.first { $0.name == name } }
    func children(_ name: String) -> [XMLElement] { elements.filter { $0.name == name } }
    /// Follows a path of child names.
    func path(_ names: String...) -> XMLElement? {
        var node: XMLElement? = self
        for n in names { node = node?.child(n) }
        return node
    }

    /// All descendants (depth first), self excluded.
    func descendants(_ name: String? = nil) -> [XMLElement] {
        var result: [XMLElement] = []
        func walk(_ e: XMLElement) {
            for c in e.elements {
                if name == nil || c.name == name { result.append(c) }
                walk(c)
            }
        }
        walk(self)
        return result
    }

    /// Text of this element and its descendants, without expanding anything.
    var text: String {
        var s = ""
        func walk(_ e: XMLElement) {
            for c in e.children {
                switch c {
                case .text(let t): s += t
                case .element(let el): walk(el)
                }
            }
        }
        walk(self)
        return s
    }

    /// Trimmed text, or nil when empty.
    var value: String? {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return t.isEmpty ? nil : t
    }

    fileprivate func append(_ child: Child) { children.append(child) }
}

enum LibXML {
    /// Initialises libxml2 once (thread safety) and installs the refusing entity loader.
    static let initialised: Bool = {
        xmlInitParser()
        cxml_install_refusing_loader()
        return true
    }()

    static let safeXMLOptions = Int32(
        XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NOCDATA.rawValue)
    static let safeHTMLOptions = Int32(
        HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_RECOVER.rawValue | HTML_PARSE_COMPACT.rawValue)

    /// Refuses documents that declare entities or an external DTD: résumés never need them, and they
    /// are how billion-laughs and XXE attacks work.
    static func checkNoEntityDeclarations(_ data: Data, filename: String) throws(DocumentError) {
        let head = data.prefix(64 * 1024)
        let ascii = String(decoding: head, as: UTF8.self)
        if ascii.range(of: "<!ENTITY", options: .caseInsensitive) != nil {
            throw DocumentError(.unsafe, "\(filename): the XML declares entities (entity expansion and external entities are refused)")
        }
        if ascii.range(of: #"<!DOCTYPE[^>\[]*\b(SYSTEM|PUBLIC)\b"#, options: [.regularExpression, .caseInsensitive]) != nil,
           !ascii.lowercased().contains("<html") {
            throw DocumentError(.unsafe, "\(filename): the XML refers to an external DTD (external resources are refused)")
        }
    }

    /// Parses XML safely into a tree.
    static func parseXML(_ data: Data, filename: String, part: String? = nil) throws(DocumentError) -> XMLElement {
        let label = part.map { "\(filename) (\($0))" } ?? filename
        try checkNoEntityDeclarations(data, filename: label)
        return try parseXMLUnchecked(data, label: label, refuseEntities: true)
    }

    /// Parses without the textual pre-check (libxml2's own guards and the refusing loader still apply).
    static func parseXMLUnchecked(_ data: Data, label: String = "test.xml", refuseEntities: Bool = false) throws(DocumentError) -> XMLElement {
        _ = initialised
        guard data.count < Int(Int32.max) else { throw DocumentError(.tooLarge, "\(label): XML part too large") }
        guard let ctxt = xmlNewParserCtxt() else { throw DocumentError(.unreadable, "\(label): XML parser unavailable") }
        defer { xmlFreeParserCtxt(ctxt) }
        let doc: xmlDocPtr? = data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return nil }
            return xmlCtxtReadMemory(ctxt, base.assumingMemoryBound(to: CChar.self), Int32(raw.count), "document.xml", nil, safeXMLOptions)
        }
        guard let doc else {
            let code = xmlCtxtGetLastError(ctxt)?.pointee.code ?? 0
            if code == 89 /* XML_ERR_ENTITY_LOOP */ || code == 104 /* amplification */ {
                throw DocumentError(.unsafe, "\(label): XML entity expansion refused")
            }
            throw DocumentError(.corrupt, "\(label): not well-formed XML (libxml2 error \(code))")
        }
        defer { xmlFreeDoc(doc) }
        if refuseEntities, let subset = doc.pointee.intSubset, subset.pointee.entities != nil {
            throw DocumentError(.unsafe, "\(label): the XML declares entities (entity expansion and external entities are refused)")
        }
        guard let root = xmlDocGetRootElement(doc) else { throw DocumentError(.empty, "\(label): XML has no root element") }
        return convert(root)
    }

    /// Parses HTML (recovering from broken markup, never fetching anything) into a tree with lower-case names.
    static func parseHTML(_ data: Data, filename: String) throws(DocumentError) -> XMLElement {
        _ = initialised
        guard data.count < Int(Int32.max) else { throw DocumentError(.tooLarge, "\(filename): HTML too large") }
        let doc: htmlDocPtr? = data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return nil }
            return htmlReadMemory(base.assumingMemoryBound(to: CChar.self), Int32(raw.count), "about:blank", "UTF-8", safeHTMLOptions)
        }
        guard let doc else { throw DocumentError(.corrupt, "\(filename): HTML could not be parsed") }
        defer { xmlFreeDoc(doc) }
        guard let root = xmlDocGetRootElement(doc) else { throw DocumentError(.empty, "\(filename): HTML has no content") }
        return convert(root)
    }

    private static func string(_ p: UnsafePointer<xmlChar>?) -> String? {
        guard let p else { return nil }
        return String(cString: UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self))
    }

    private static func convert(_ root: xmlNodePtr) -> XMLElement {
        func make(_ node: xmlNodePtr) -> XMLElement {
            var attributes: [String: String] = [:]
            var attr = node.pointee.properties
            while let a = attr {
                if let name = string(a.pointee.name) {
                    var value = ""
                    var c = a.pointee.children
                    while let t = c {
                        if t.pointee.type == XML_TEXT_NODE, let s = string(t.pointee.content) { value += s }
                        c = t.pointee.next
                    }
                    attributes[name] = value
                }
                attr = a.pointee.next
            }
            return XMLElement(name: string(node.pointee.name) ?? "", namespace: string(node.pointee.ns?.pointee.href), attributes: attributes)
        }
        // Iterative walk: deep documents must not overflow the stack.
        let top = make(root)
        var stack: [(xmlNodePtr?, XMLElement)] = [(root.pointee.children, top)]
        var depth = 0
        while !stack.isEmpty {
            let (current, parent) = stack.removeLast()
            guard let node = current else { depth -= 1; continue }
            stack.append((node.pointee.next, parent))
            switch node.pointee.type {
            case XML_ELEMENT_NODE:
                guard depth < 256 else { continue }
                let e = make(node)
                parent.append(.element(e))
                depth += 1
                stack.append((node.pointee.children, e))
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let s = string(node.pointee.content) { parent.append(.text(s)) }
            default:
                break  // entity references, comments, processing instructions: ignored, never expanded
            }
        }
        return top
    }
}
