// samlify (SP and IdP roles, XML signatures through xml-crypto) needs a schema validator before
// it parses anything: the xmllint build compiled to WebAssembly validates every message against
// the SAML 2.0 schemas (no Java, no native addon). Set once per process.
import { setSchemaValidator } from 'samlify';
import * as xmllint from '@authenio/samlify-xmllint-wasm';

let ready = false;

export function samlLibrary() {
  if (ready) return;
  setSchemaValidator({ validate: (xml: string) => xmllint.validate(xml) });
  ready = true;
}
