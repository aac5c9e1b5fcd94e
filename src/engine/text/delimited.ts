// CSV records per RFC 4180 (quoted fields may hold delimiters, doubled quotes and line breaks) and TSV records
// (no quoting: tab-separated files such as the SMS spam set hold raw text that merely starts with a quote), each
// with the line it starts on so problems can point into the file.

export interface DelimitedRecord {
  fields: string[];
  /** 1-based line of the record's first character. */
  line: number;
}

export function parseDelimited(text: string, delimiter: string, quoting: boolean): DelimitedRecord[] {
  const records: DelimitedRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // byte-order mark
  const endRecord = () => {
    fields.push(field);
    // A blank line is no record (a lone empty field), except inside quotes.
    if (fields.length > 1 || fields[0] !== '') records.push({ fields, line: recordLine });
    fields = [];
    field = '';
  };
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (quoting && c === '"' && field === '') {
      quoted = true;
    } else if (c === delimiter) {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += c;
    }
  }
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}
