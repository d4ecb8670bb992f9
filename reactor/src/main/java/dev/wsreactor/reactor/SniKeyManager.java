package dev.wsreactor.reactor;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The server's key manager: chooses the certificate by the host name the client asked for (SNI, RFC 6066 §3)
 * from the current {@link CertificateTable}, which a reload replaces at once for every later handshake.
 * Handshakes under way keep what they chose: the table before the last is kept, so an alias chosen just before
 * a swap still finds its key.
 */
final class SniKeyManager extends X509ExtendedKeyManager {

    private volatile CertificateTable current;
    private volatile CertificateTable previous;

    SniKeyManager(CertificateTable table) {
        this.current = table;
        this.previous = table;
    }

    CertificateTable table() {
        return current;
    }

    /**
     * Makes {@code next} the table of every later handshake, if {@code expected} is still the current one (a
     * second server polling the same certificates may have been first); returns whether it did.
     */
    synchronized boolean replace(CertificateTable expected, CertificateTable next) {
        if (current != expected) {
            return false;
        }
        previous = current;
        current = next;
        return true;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keyType, engine == null ? null : engine.getHandshakeSession());
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return choose(keyType, socket instanceof SSLSocket tls ? tls.getHandshakeSession() : null);
    }

    /** The alias of the certificate for the requested name, or null when its key is not of this type. */
    private String choose(String keyType, SSLSession handshake) {
        KeyMaterial material = current.forServerName(requestedHostName(handshake));
        return matches(keyType, material) ? material.alias : null;
    }

    /** The client's SNI host name, or null when it sent none. */
    static String requestedHostName(SSLSession handshake) {
        if (handshake instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name.getType() == StandardConstants.SNI_HOST_NAME) {
                    return ((SNIHostName) name).getAsciiName();
                }
            }
        }
        return null;
    }

    /**
     * Whether the key suits the type asked for: {@code EC}, {@code RSA}, {@code EdDSA}, {@code RSASSA-PSS}; a
     * TLS 1.2 type such as {@code EC_RSA} also names the algorithm the certificate was signed with.
     */
    private static boolean matches(String keyType, KeyMaterial material) {
        if (keyType == null) {
            return false;
        }
        int underscore = keyType.indexOf('_');
        if (underscore < 0) {
            return keyType.equals(material.keyType());
        }
        String signedWith = keyType.substring(underscore + 1);
        return keyType.substring(0, underscore).equals(material.keyType())
                && material.certificate().getSigAlgName().toUpperCase(java.util.Locale.ROOT)
                        .contains("WITH" + signedWith);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        List<String> aliases = new ArrayList<>();
        for (KeyMaterial material : current.materials()) {
            if (matches(keyType, material)) {
                aliases.add(material.alias);
            }
        }
        return aliases.isEmpty() ? null : aliases.toArray(new String[0]);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        KeyMaterial material = find(alias);
        return material == null ? null : material.chain();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        KeyMaterial material = find(alias);
        return material == null ? null : material.key;
    }

    private KeyMaterial find(String alias) {
        KeyMaterial material = current.byAlias(alias);
        return material != null ? material : previous.byAlias(alias);
    }

    /** A server's key manager presents no client certificate. */
    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    /** A server's key manager presents no client certificate. */
    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    /** A server's key manager presents no client certificate. */
    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }
}
