// samlify (SP and IdP roles, XML signatures through xml-crypto) needs a schema validator before
// it parses anything: xmllint compiled to WebAssembly (xmllint-wasm: no Java, no native addon)
// validates every message against the SAML 2.0 schemas that @authenio/samlify-xmllint-wasm
// ships. Ours instead of that package's `validate`, which writes what it refuses to the console.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { setSchemaValidator } from 'samlify';
import { validateXML, type XMLFileInfo } from 'xmllint-wasm';

const SCHEMA_FILES = ['saml-schema-protocol-2.0.xsd', 'datatypes.dtd', 'saml-schema-assertion-2.0.xsd',
  'xmldsig-core-schema.xsd', 'XMLSchema.dtd', 'xenc-schema.xsd'];

let ready = false;

export function samlLibrary() {
  if (ready) return;
  const dir = path.join(path.dirname(createRequire(import.meta.url).resolve('@authenio/samlify-xmllint-wasm')), 'schemas');
  const [schema, ...preload] = SCHEMA_FILES.map((fileName): XMLFileInfo => ({ fileName, contents: fs.readFileSync(path.join(dir, fileName), 'utf8') }));
  setSchemaValidator({
    validate: async (xml: string) => {
      const result = await validateXML({ xml: [{ fileName: 'message.xml', contents: xml }], extension: 'schema', schema: [schema!], preload });
      if (!result.valid) throw new Error('ERR_EXCEPTION_VALIDATE_XML');
      return 'SUCCESS_VALIDATE_XML';
    },
  });
  ready = true;
}
