package io.github.gracefulshutdown.kubernetes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A key and a self-signed certificate for 127.0.0.1, made by the JDK's {@code keytool}:
 * the TLS context of a server, and the certificate in PEM, as a pod's {@code ca.crt}
 * holds its cluster's.
 */
final class SelfSignedCertificate {

	private static final String PASSWORD = "changeit";

	private final Path keyStore;

	private final Path pem;

	private SelfSignedCertificate(Path keyStore, Path pem) {
		this.keyStore = keyStore;
		this.pem = pem;
	}

	static SelfSignedCertificate create(Path directory, String name) throws IOException, InterruptedException {
		Path keyStore = directory.resolve(name + ".p12");
		Path pem = directory.resolve(name + ".crt");
		keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-dname", "CN=" + name, "-ext", "SAN=ip:127.0.0.1",
				"-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", PASSWORD);
		keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
				"-file", pem.toString());
		return new SelfSignedCertificate(keyStore, pem);
	}

	Path pem() {
		return this.pem;
	}

	SSLContext serverContext() throws IOException, GeneralSecurityException {
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(this.keyStore)) {
			store.load(in, PASSWORD.toCharArray());
		}
		KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keys.init(store, PASSWORD.toCharArray());
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(keys.getKeyManagers(), null, null);
		return context;
	}

	private static void keytool(String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IOException("keytool failed: " + output);
		}
	}

}
