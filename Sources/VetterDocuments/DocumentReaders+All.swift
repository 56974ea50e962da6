import Foundation
import VetterCore

public extension DocumentReaders {
    /// Every reader: the document formats of this module first, then the core readers (JSON Resume,
    /// plain text and Markdown). Order matters where formats overlap: HR Open and Europass JSON
    /// before JSON Resume; Word 2003 XML and Europass XML before HTML; HTML before plain text.
    static let all = DocumentReaders(documentReaders + DocumentReaders.core.readers)

    /// The readers of this module alone.
    static let documentReaders: [any DocumentReader] = [
        PDFReader(), DOCXReader(), LegacyDocReader(), WordMLReader(), EuropassReader(), HROpenReader(), HTMLReader(),
    ]
}
