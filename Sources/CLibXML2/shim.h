// Debian's libxml2 is built with ICU: <libxml/encoding.h> would pull the system ICU headers, which
// clash with Foundation's _FoundationICU module ("'UErrorCode' has different definitions").
// Hiding ICU only removes two trailing pointer fields of xmlCharEncodingHandler from view.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/xmlerror.h>

// xmlFree is a global function-pointer variable; Swift 6 mode cannot read it. Wrap it.
static inline void cxml_free(void *p) { xmlFree(p); }

// Refuses every external entity / DTD load (process-wide, also protects FoundationXML).
static xmlParserInputPtr cxml_refuse_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt) {
    (void)url; (void)id; (void)ctxt;
    return NULL;
}
static inline void cxml_install_refusing_loader(void) {
    xmlSetExternalEntityLoader(cxml_refuse_loader);
}
