// Handle is declared with Person in person.entity.ts (they reference each other); this module
// stays for the importers that name it.
export { Handle, HandleSchema } from './person.entity.ts';
