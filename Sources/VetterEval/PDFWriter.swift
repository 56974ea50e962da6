import CCairo
import Foundation

/// PDF résumés for the evaluation's population, set with cairo's PDF surface in DejaVu Sans (its
/// glyphs cover every name the generator draws), one line of text a line, A4, with the creation
/// time in the document information (what the metadata indicators read) and no author. The same
/// draft always gives the same bytes: the creation time is always set, never the clock's.
public enum PDFWriter {
    static let pageWidth = 595.0, pageHeight = 842.0, margin = 56.0, fontSize = 10.0, leading = 14.0

    /// Collects the bytes cairo writes.
    private final class Sink {
        var data = Data()
    }

    public static func document(lines: [String], created: String) -> Data {
        let sink = Sink()
        let context = Unmanaged.passRetained(sink)
        defer { context.release() }
        let write: cairo_write_func_t = { closure, bytes, length in
            guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
            Unmanaged<Sink>.fromOpaque(closure).takeUnretainedValue().data.append(bytes, count: Int(length))
            return CAIRO_STATUS_SUCCESS
        }
        guard let surface = cairo_pdf_surface_create_for_stream(write, context.toOpaque(), pageWidth, pageHeight) else { return Data() }
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, created)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, created)
        let cr = cairo_create(surface)
        cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(cr, fontSize)
        var y = margin
        for line in lines.flatMap({ wrapped($0, cr: cr) }) {
            if y > pageHeight - margin {
                cairo_show_page(cr)
                y = margin
            }
            if !line.isEmpty {
                cairo_move_to(cr, margin, y)
                cairo_show_text(cr, line)
            }
            y += leading
        }
        cairo_destroy(cr)
        cairo_surface_finish(surface)
        cairo_surface_destroy(surface)
        return sink.data
    }

    /// The line, broken at spaces where it would run past the right margin.
    static func wrapped(_ line: String, cr: OpaquePointer?) -> [String] {
        func width(_ text: String) -> Double {
            var extents = cairo_text_extents_t()
            cairo_text_extents(cr, text, &extents)
            return extents.x_advance
        }
        let available = pageWidth - 2 * margin
        guard width(line) > available else { return [line] }
        var out: [String] = [], current = ""
        for word in line.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            let candidate = current.isEmpty ? word : current + " " + word
            if !current.isEmpty, width(candidate) > available {
                out.append(current)
                current = word
            } else {
                current = candidate
            }
        }
        out.append(current)
        return out
    }
}
