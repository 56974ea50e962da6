// cairo's PDF surface: the evaluation's population generator writes PDF résumés with it
// (Sources/VetterEval/PDFWriter.swift). Only VetterEval links it.
#include <cairo.h>
#include <cairo-pdf.h>
