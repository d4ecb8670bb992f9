package dev.wsreactor.protocol.handshake;

import dev.wsreactor.protocol.internal.HttpToken;
import java.util.ArrayList;
import java.util.List;

/**
 * One extension named in a {@code Sec-WebSocket-Extensions} header, with its parameters (RFC 6455 §9.1):
 * <pre>
 * extension-list = 1#extension
 * extension      = extension-token *( ";" extension-param )
 * extension-param = token [ "=" (token | quoted-string) ]
 * </pre>
 *
 * @param name the extension's token, such as {@code permessage-deflate}
 * @param parameters its parameters, in order
 */
public record ExtensionOffer(String name, List<ExtensionParameter> parameters) {

    /**
     * Copies the parameters, so that an offer cannot change.
     *
     * @param name the extension's token, such as {@code permessage-deflate}
     * @param parameters its parameters, in order
     */
    public ExtensionOffer {
        parameters = List.copyOf(parameters);
    }

    /**
     * Parses every offer in these header values. A malformed offer is skipped (declined), never fatal: the other
     * offers still count, and the handshake goes on without it.
     *
     * @param headerValues the values of every {@code Sec-WebSocket-Extensions} field, in order
     * @return the well-formed offers, in order
     */
    public static List<ExtensionOffer> parseAll(List<String> headerValues) {
        List<ExtensionOffer> offers = new ArrayList<>();
        for (String value : headerValues) {
            for (String element : split(value, ',')) {
                if (element.isBlank()) {
                    continue; // RFC 9110 §5.6.1: empty list elements are ignored
                }
                ExtensionOffer offer = parse(element);
                if (offer != null) {
                    offers.add(offer);
                }
            }
        }
        return offers;
    }

    /** One offer, or {@code null} if it is malformed. */
    static ExtensionOffer parse(String element) {
        List<String> parts = split(element, ';');
        String name = parts.get(0).strip();
        if (!HttpToken.isToken(name)) {
            return null;
        }
        List<ExtensionParameter> parameters = new ArrayList<>();
        for (int i = 1; i < parts.size(); i++) {
            String part = parts.get(i).strip();
            int equals = part.indexOf('=');
            String paramName = (equals < 0 ? part : part.substring(0, equals)).strip();
            if (!HttpToken.isToken(paramName)) {
                return null;
            }
            String paramValue = null;
            if (equals >= 0) {
                paramValue = part.substring(equals + 1).strip();
                if (paramValue.length() >= 2 && paramValue.startsWith("\"") && paramValue.endsWith("\"")) {
                    paramValue = paramValue.substring(1, paramValue.length() - 1).replaceAll("\\\\(.)", "$1");
                }
                // §9.1: "the value MUST conform to the token ABNF" even when it was quoted.
                if (!HttpToken.isToken(paramValue)) {
                    return null;
                }
            }
            parameters.add(new ExtensionParameter(paramName, paramValue));
        }
        return new ExtensionOffer(name, parameters);
    }

    /** Splits on {@code separator} outside quoted strings. */
    private static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted && c == '\\' && i + 1 < text.length()) {
                current.append(c).append(text.charAt(++i));
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == separator && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }

    /**
     * The value of a parameter: see {@link #has} to tell a parameter without a value from an absent one.
     *
     * @param parameterName the parameter's name, compared case-insensitively
     * @return its value, or {@code null} if it has none or is absent
     */
    public String parameter(String parameterName) {
        for (ExtensionParameter parameter : parameters) {
            if (parameter.name().equalsIgnoreCase(parameterName)) {
                return parameter.value();
            }
        }
        return null;
    }

    /**
     * {@return whether the offer has this parameter, with or without a value}
     *
     * @param parameterName the parameter's name, compared case-insensitively
     */
    public boolean has(String parameterName) {
        return parameters.stream().anyMatch(p -> p.name().equalsIgnoreCase(parameterName));
    }

    /** {@return the offer as it is written in a header: {@code name; param; param=value}} */
    public String toHeaderValue() {
        StringBuilder out = new StringBuilder(name);
        for (ExtensionParameter parameter : parameters) {
            out.append("; ").append(parameter.name());
            if (parameter.value() != null) {
                out.append('=').append(parameter.value());
            }
        }
        return out.toString();
    }
}
