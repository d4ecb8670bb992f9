package dev.wsreactor.reactor;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One certificate chain and its private key as read from their files, immutable. Its alias is new for every load,
 * so a key manager asked for the key of an alias it chose a moment ago never pairs one load's chain with another
 * load's key.
 */
final class KeyMaterial {

    private static final AtomicLong LOADS = new AtomicLong();
    private static final byte[] PROBE = "wsreactor key check".getBytes(StandardCharsets.US_ASCII);

    final String alias;
    final PrivateKey key;
    private final X509Certificate[] chain;
    /** How the files stood when they were read; null for material that came from no files. */
    final FileStamp stamp;

    KeyMaterial(PrivateKey key, X509Certificate[] chain, FileStamp stamp) {
        this.alias = "wsreactor-" + LOADS.incrementAndGet();
        this.key = key;
        this.chain = chain.clone();
        this.stamp = stamp;
    }

    KeyMaterial withStamp(FileStamp stamp) {
        return new KeyMaterial(key, chain, stamp);
    }

    /** {@return the chain, a copy: the server's certificate first} */
    X509Certificate[] chain() {
        return chain.clone();
    }

    /** {@return the server's certificate} */
    X509Certificate certificate() {
        return chain[0];
    }

    /** {@return the key's algorithm as key managers are asked for it: RSA, EC, EdDSA, RSASSA-PSS} */
    String keyType() {
        String algorithm = chain[0].getPublicKey().getAlgorithm();
        return algorithm.equals("Ed25519") || algorithm.equals("Ed448") ? "EdDSA" : algorithm;
    }

    /**
     * Itself, once a signature made with the key verifies with the certificate's public key: a renewal whose key
     * file is from another renewal (or another host) fails here, not in every client's handshake.
     */
    KeyMaterial checked() throws GeneralSecurityException {
        PublicKey publicKey = chain[0].getPublicKey();
        if (!publicKey.getAlgorithm().equals(key.getAlgorithm())) {
            throw new GeneralSecurityException("the key is " + key.getAlgorithm() + " but the certificate's is "
                    + publicKey.getAlgorithm());
        }
        Signature signer = signature(keyType());
        signer.initSign(key);
        signer.update(PROBE);
        byte[] signed = signer.sign();
        Signature verifier = signature(keyType());
        verifier.initVerify(publicKey);
        verifier.update(PROBE);
        if (!verifier.verify(signed)) {
            throw new GeneralSecurityException("the private key does not belong to the certificate "
                    + chain[0].getSubjectX500Principal().getName());
        }
        return this;
    }

    private static Signature signature(String keyType) throws GeneralSecurityException {
        switch (keyType) {
            case "RSA":
                return Signature.getInstance("SHA256withRSA");
            case "EC":
                return Signature.getInstance("SHA256withECDSA");
            case "EdDSA":
                return Signature.getInstance("EdDSA");
            case "RSASSA-PSS":
                Signature pss = Signature.getInstance("RSASSA-PSS");
                pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
                return pss;
            default:
                throw new GeneralSecurityException("unsupported key type " + keyType);
        }
    }
}
