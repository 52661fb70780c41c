package io.github.gracefulshutdown;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;

import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the POM the starter is published with, as the flatten plugin writes it in every
 * build: Maven Central refuses a release without its metadata, and the POM must stand on
 * its own because the parent is never published.
 */
class PublishedPomTests {

	private static final Path PUBLISHED_POM = Path.of("target/.flattened-pom.xml");

	private static final Path SOURCE_POM = Path.of("pom.xml");

	private static final XPath XPATH = XPathFactory.newInstance().newXPath();

	private static Document published;

	@BeforeAll
	static void readPublishedPom() throws Exception {
		assertThat(PUBLISHED_POM).as("the flatten plugin writes it in process-resources: run the tests with Maven")
			.exists();
		published = parse(PUBLISHED_POM);
	}

	@Test
	void whenPublishedThenThePomHasTheMetadataMavenCentralRequires() throws Exception {
		assertThatElement("/project/name").isNotBlank();
		assertThatElement("/project/description").isNotBlank();
		assertThatElement("/project/url").startsWith("https://");
		assertThatElement("/project/licenses/license/name").isNotBlank();
		assertThatElement("/project/licenses/license/url").startsWith("https://");
		assertThatElement("/project/developers/developer/name").isNotBlank();
		assertThatElement("/project/scm/url").isEqualTo(text(published, "/project/url"));
		assertThatElement("/project/scm/connection").startsWith("scm:git:");
		assertThatElement("/project/scm/developerConnection").startsWith("scm:git:");
		assertThatElement("/project/issueManagement/url").startsWith(text(published, "/project/url"));
	}

	@Test
	void whenPublishedThenThePomNeedsNoParentAndNoProperty() throws Exception {
		assertThatElement("/project/parent").isEmpty();
		assertThatElement("/project/groupId").isNotBlank();
		assertThatElement("/project/artifactId").isEqualTo("graceful-shutdown-spring-boot-starter");
		assertThatElement("/project/version").isNotBlank();
		assertThat(Files.readString(PUBLISHED_POM)).doesNotContain("${");
	}

	@Test
	void whenPublishedThenEveryDependencyHasAVersionAndStaysAsOptionalAsDeclared() throws Exception {
		Map<String, Boolean> declared = optionalByDependency(parse(SOURCE_POM));
		Map<String, Boolean> listed = optionalByDependency(published);

		assertThat(listed).isEqualTo(declared);
		NodeList dependencies = (NodeList) XPATH.evaluate("/project/dependencies/dependency", published,
				XPathConstants.NODESET);
		for (int i = 0; i < dependencies.getLength(); i++) {
			Element dependency = (Element) dependencies.item(i);
			assertThat(text(dependency, "version")).as(text(dependency, "artifactId")).isNotBlank();
		}
		assertThatElement("/project/dependencyManagement").isEmpty();
	}

	private static AbstractStringAssert<?> assertThatElement(String expression) throws Exception {
		return assertThat(text(published, expression)).as(expression);
	}

	/**
	 * The dependencies a user gets, keyed by {@code groupId:artifactId}, with whether
	 * each is optional; test dependencies are never published.
	 */
	private static Map<String, Boolean> optionalByDependency(Document pom) throws Exception {
		NodeList dependencies = (NodeList) XPATH.evaluate("/project/dependencies/dependency[not(scope='test')]", pom,
				XPathConstants.NODESET);
		Map<String, Boolean> optionalByDependency = new TreeMap<>();
		for (int i = 0; i < dependencies.getLength(); i++) {
			Element dependency = (Element) dependencies.item(i);
			optionalByDependency.put(text(dependency, "groupId") + ":" + text(dependency, "artifactId"),
					Boolean.parseBoolean(text(dependency, "optional")));
		}
		return optionalByDependency;
	}

	private static Document parse(Path pom) throws Exception {
		return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
	}

	private static String text(Object node, String expression) throws Exception {
		return XPATH.evaluate(expression, node).strip();
	}

}
