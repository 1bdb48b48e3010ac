package dev.repgap.io.formats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the Python literals a .npy header is written in: dicts, tuples and lists (both as
 * {@link List}), strings, integers (as {@link Long}), True, False and None (as null).
 */
final class PythonLiteral {

    private final String text;
    private int pos;

    private PythonLiteral(String text) {
        this.text = text;
    }

    /** The value of text, which must be one literal with nothing but whitespace around it. */
    static Object parse(String text) {
        PythonLiteral parser = new PythonLiteral(text);
        Object value = parser.value();
        parser.skipSpace();
        if (parser.pos != text.length()) {
            throw parser.error("unexpected text after the literal");
        }
        return value;
    }

    private Object value() {
        skipSpace();
        if (pos >= text.length()) {
            throw error("unexpected end");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{': return dict();
            case '(': return sequence(')');
            case '[': return sequence(']');
            case '\'': case '"': return string(c);
            default:
                if (c == '-' || c == '+' || Character.isDigit(c)) {
                    return integer();
                }
                return word();
        }
    }

    private Map<Object, Object> dict() {
        Map<Object, Object> map = new LinkedHashMap<>();
        pos++;
        while (!closes('}')) {
            Object key = value();
            expect(':');
            map.put(key, value());
            if (closes('}')) {
                break;
            }
            expect(',');
        }
        return map;
    }

    private List<Object> sequence(char close) {
        List<Object> items = new ArrayList<>();
        pos++;
        while (!closes(close)) {
            items.add(value());
            if (closes(close)) {
                break;
            }
            expect(',');
        }
        return items;
    }

    /** Consumes close if it comes next. */
    private boolean closes(char close) {
        skipSpace();
        if (pos < text.length() && text.charAt(pos) == close) {
            pos++;
            return true;
        }
        if (pos >= text.length()) {
            throw error("missing '" + close + "'");
        }
        return false;
    }

    private String string(char quote) {
        StringBuilder out = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == quote) {
                return out.toString();
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char e = text.charAt(pos++);
            switch (e) {
                case 'n': out.append('\n'); break;
                case 't': out.append('\t'); break;
                case 'r': out.append('\r'); break;
                case '0': out.append('\0'); break;
                case 'x': out.append((char) hex(2)); break;
                case 'u': out.append((char) hex(4)); break;
                case 'U': out.appendCodePoint(hex(8)); break;
                default: out.append(e);
            }
        }
    }

    private int hex(int digits) {
        if (pos + digits > text.length()) {
            throw error("bad escape");
        }
        try {
            int value = Integer.parseUnsignedInt(text.substring(pos, pos + digits), 16);
            pos += digits;
            return value;
        } catch (NumberFormatException e) {
            throw error("bad escape");
        }
    }

    private Long integer() {
        int start = pos;
        if (text.charAt(pos) == '-' || text.charAt(pos) == '+') {
            pos++;
        }
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            pos++;
        }
        String digits = text.substring(start, pos);
        if (pos < text.length() && (text.charAt(pos) == 'L' || text.charAt(pos) == 'l')) {
            pos++; // Python 2 long suffix, seen in headers written by old NumPy
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw error("bad integer '" + digits + "'");
        }
    }

    private Object word() {
        int start = pos;
        while (pos < text.length() && Character.isLetter(text.charAt(pos))) {
            pos++;
        }
        String word = text.substring(start, pos);
        switch (word) {
            case "True": return Boolean.TRUE;
            case "False": return Boolean.FALSE;
            case "None": return null;
            default:
                throw error("unexpected " + (word.isEmpty() ? "'" + text.charAt(pos) + "'" : word));
        }
    }

    private void expect(char c) {
        skipSpace();
        if (pos >= text.length() || text.charAt(pos) != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private IllegalArgumentException error(String problem) {
        return new IllegalArgumentException(problem + " at character " + pos);
    }
}
