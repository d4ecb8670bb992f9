package dev.wsreactor.reactor;

import java.util.Objects;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;

/**
 * How a server speaks TLS, as the builder collected it.
 *
 * @param context the keys and trust the engines are made from
 * @param clientAuth whether clients are asked for a certificate
 * @param taskExecutor where the engines' delegated tasks run, or null for the reactor thread itself
 * @param certificates the certificates by server name whose files a running server watches, or null when the
 *                     context came as it is
 */
record TlsSettings(SSLContext context, Tls.ClientAuth clientAuth, Executor taskExecutor,
        ServerCertificates certificates) {

    TlsSettings {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(clientAuth, "clientAuth");
    }
}
