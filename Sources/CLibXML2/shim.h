#ifndef WINNOW_CLIBXML2_SHIM_H
#define WINNOW_CLIBXML2_SHIM_H

/* xmlversion.h first, so that the ICU switch can be turned off before any header that would
   include the system ICU (which clashes with Foundation's bundled ICU in a clean build). */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlmemory.h>

/* xmlFree is a global function pointer that Swift 6 rejects as not concurrency-safe. */
static inline void winnow_xml_free(void *p) { xmlFree(p); }

/* A DOCTYPE in a request is refused outright: requests never need one, and a DTD is where
   external entities and entity-expansion bombs live. The SAX internalSubset callback fires as soon
   as the parser meets "<!DOCTYPE"; it records the fact and stops the parser before any entity
   declaration is read. */
static void winnow_refuse_internal_subset(void *ctx, const xmlChar *name,
                                          const xmlChar *externalID, const xmlChar *systemID) {
    (void)name; (void)externalID; (void)systemID;
    xmlParserCtxtPtr ctxt = (xmlParserCtxtPtr)ctx;
    ctxt->_private = (void *)1;
    xmlStopParser(ctxt);
}

static inline void winnow_install_dtd_guard(xmlParserCtxtPtr ctxt) {
    if (ctxt != NULL && ctxt->sax != NULL) {
        ctxt->sax->internalSubset = winnow_refuse_internal_subset;
        ctxt->sax->externalSubset = winnow_refuse_internal_subset;
    }
}

static inline int winnow_dtd_was_refused(xmlParserCtxtPtr ctxt) {
    return ctxt != NULL && ctxt->_private == (void *)1;
}

#endif
