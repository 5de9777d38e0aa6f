package io.dcf.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.Server;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real token realm for docker-registry's {@code auth: token}: checks Basic credentials and
 * issues RS256 JWTs (signed with a key made by {@code keytool}, its certificate in the
 * registry's {@code rootcertbundle} and in each token's {@code x5c}) granting the scopes asked.
 */
final class TokenRealm implements AutoCloseable {

    static final String ISSUER = "dcf-test-realm";
    static final String SERVICE = "dcf-test-registry";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String user;
    private final String password;
    private final PrivateKey key;
    private final String certificate;
    private final Path bundle;
    private final Server server;
    /** Each token request: the user it authenticated (or "refused") and its scopes. */
    final List<String> requests = new CopyOnWriteArrayList<>();

    TokenRealm(Path dir, String user, String password) throws Exception {
        this.user = user;
        this.password = password;
        Path store = dir.resolve("realm.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "realm", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=dcf-test-realm",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit")
                .redirectErrorStream(true).start();
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + new String(keytool.getInputStream().readAllBytes()));
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        key = (PrivateKey) ks.getKey("realm", "changeit".toCharArray());
        Certificate cert = ks.getCertificate("realm");
        certificate = Base64.getEncoder().encodeToString(cert.getEncoded());
        bundle = Files.writeString(dir.resolve("realm.pem"), "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        server = Server.builder().http(new java.net.InetSocketAddress("127.0.0.1", 0))
                .service("/token", (ctx, req) -> token(req.headers().get(HttpHeaderNames.AUTHORIZATION),
                        ctx.queryParams()))
                .build();
        server.start().join();
    }

    /** The registry's {@code auth:} section pointing at this realm. */
    List<String> registryConfig() {
        return List.of("auth:", "  token:",
                "    realm: http://127.0.0.1:" + server.activeLocalPort() + "/token",
                "    service: " + SERVICE,
                "    issuer: " + ISSUER,
                "    rootcertbundle: " + bundle);
    }

    private HttpResponse token(String authorization, QueryParams query) throws Exception {
        String expected = "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8));
        List<String> scopes = query.getAll("scope");
        if (!expected.equals(authorization)) {
            requests.add("refused " + scopes);
            return HttpResponse.of(HttpStatus.UNAUTHORIZED, MediaType.JSON, "{\"details\":\"bad credentials\"}");
        }
        requests.add(user + " " + scopes);
        ObjectNode token = JSON.createObjectNode();
        token.put("token", jwt(scopes));
        token.put("expires_in", 300);
        return HttpResponse.of(HttpStatus.OK, MediaType.JSON, token.toString());
    }

    private String jwt(List<String> scopes) throws Exception {
        ObjectNode header = JSON.createObjectNode().put("typ", "JWT").put("alg", "RS256");
        header.putArray("x5c").add(certificate);
        long now = Instant.now().getEpochSecond();
        ObjectNode claims = JSON.createObjectNode().put("iss", ISSUER).put("sub", user).put("aud", SERVICE)
                .put("exp", now + 300).put("nbf", now - 10).put("iat", now).put("jti", UUID.randomUUID().toString());
        ArrayNode access = claims.putArray("access");
        for (String scope : scopes) {
            String[] parts = scope.split(":");
            if (parts.length == 3) {
                ObjectNode grant = access.addObject().put("type", parts[0]).put("name", parts[1]);
                for (String action : parts[2].split(",")) {
                    grant.withArray("actions").add(action);
                }
            }
        }
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String signed = url.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initSign(key);
        rs256.update(signed.getBytes(StandardCharsets.US_ASCII));
        return signed + "." + url.encodeToString(rs256.sign());
    }

    @Override
    public void close() {
        server.stop().join();
    }
}
