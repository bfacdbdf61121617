// Test helper: the official XSDs through libxml2's schema validator, the
// independent judge our generated validator and writer are checked against.
#ifndef DRYPORT_TESTS_CEB_XSD_VALIDATOR_H_
#define DRYPORT_TESTS_CEB_XSD_VALIDATOR_H_

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include <string>

#include "ceb/model.h"

namespace dryport::ceb {

class XsdValidator {
 public:
  XsdValidator() {
    xmlInitParser();
    const std::string dir = std::string(DRYPORT_SHARED_DIR) + "/reference/ceb-xsd-202205/";
    export_ = Load(dir + "ceb-export-202205.xsd");
    import_ = Load(dir + "ceb-import-202205.xsd");
  }
  ~XsdValidator() {
    if (export_) xmlSchemaFree(export_);
    if (import_) xmlSchemaFree(import_);
  }
  XsdValidator(const XsdValidator&) = delete;
  XsdValidator& operator=(const XsdValidator&) = delete;

  // "" when valid, else libxml2's messages.
  std::string Validate(const std::string& xml, Side side) {
    xmlSchemaPtr schema = side == Side::kExport ? export_ : import_;
    if (!schema) return "schema did not load";
    xmlDocPtr doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "message.xml", nullptr, XML_PARSE_NONET);
    if (!doc) return "not well-formed";
    xmlSchemaValidCtxtPtr ctx = xmlSchemaNewValidCtxt(schema);
    std::string errors;
    xmlSchemaSetValidStructuredErrors(
        ctx, [](void* user, xmlErrorPtr e) { *static_cast<std::string*>(user) += e->message ? e->message : "?"; },
        &errors);
    const int rc = xmlSchemaValidateDoc(ctx, doc);
    xmlSchemaFreeValidCtxt(ctx);
    xmlFreeDoc(doc);
    if (rc != 0 && errors.empty()) errors = "invalid";
    return errors;
  }

 private:
  static xmlSchemaPtr Load(const std::string& path) {
    xmlSchemaParserCtxtPtr p = xmlSchemaNewParserCtxt(path.c_str());
    xmlSchemaPtr s = xmlSchemaParse(p);
    xmlSchemaFreeParserCtxt(p);
    return s;
  }
  xmlSchemaPtr export_ = nullptr;
  xmlSchemaPtr import_ = nullptr;
};

}  // namespace dryport::ceb

#endif  // DRYPORT_TESTS_CEB_XSD_VALIDATOR_H_
