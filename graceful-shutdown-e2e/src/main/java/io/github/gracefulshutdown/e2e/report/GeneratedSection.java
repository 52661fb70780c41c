package io.github.gracefulshutdown.e2e.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A part of a Markdown file that a program writes, between two HTML comments, so the
 * prose around it stays as people wrote it.
 */
public final class GeneratedSection {

	private GeneratedSection() {
	}

	/**
	 * Replaces the content between {@code <!-- generated:NAME:start -->} and
	 * {@code <!-- generated:NAME:end -->}.
	 * @param markdown the Markdown text
	 * @param name the name of the section
	 * @param content the new content
	 * @return the text with the section replaced
	 * @throws IllegalArgumentException if the markers are missing
	 */
	public static String replace(String markdown, String name, String content) {
		String start = "<!-- generated:" + name + ":start -->";
		String end = "<!-- generated:" + name + ":end -->";
		int startIndex = markdown.indexOf(start);
		int endIndex = markdown.indexOf(end);
		if (startIndex < 0 || endIndex < startIndex) {
			throw new IllegalArgumentException("No section '" + name + "' marked with " + start + " and " + end);
		}
		String body = content.endsWith("\n") ? content : content + "\n";
		return markdown.substring(0, startIndex + start.length()) + "\n" + body + markdown.substring(endIndex);
	}

	/**
	 * Replaces a section of a Markdown file.
	 * @param file the file
	 * @param name the name of the section
	 * @param content the new content
	 * @throws IOException if the file cannot be read or written
	 */
	public static void replace(Path file, String name, String content) throws IOException {
		String markdown = Files.readString(file, StandardCharsets.UTF_8);
		Files.writeString(file, replace(markdown, name, content), StandardCharsets.UTF_8);
	}

}
