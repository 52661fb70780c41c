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
		Bounds bounds = Bounds.of(markdown, name);
		String body = content.endsWith("\n") ? content : content + "\n";
		return markdown.substring(0, bounds.contentStart()) + "\n" + body + markdown.substring(bounds.contentEnd());
	}

	/**
	 * Returns the content between {@code <!-- generated:NAME:start -->} and
	 * {@code <!-- generated:NAME:end -->}, without the line breaks after the start
	 * marker.
	 * @param markdown the Markdown text
	 * @param name the name of the section
	 * @return the content of the section
	 * @throws IllegalArgumentException if the markers are missing
	 */
	public static String content(String markdown, String name) {
		Bounds bounds = Bounds.of(markdown, name);
		return markdown.substring(bounds.contentStart(), bounds.contentEnd()).stripLeading();
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

	/**
	 * Reads a section of a Markdown file.
	 * @param file the file
	 * @param name the name of the section
	 * @return the content of the section
	 * @throws IOException if the file cannot be read
	 */
	public static String content(Path file, String name) throws IOException {
		return content(Files.readString(file, StandardCharsets.UTF_8), name);
	}

	/**
	 * Where the content of a section starts (right after its start marker) and ends (at
	 * its end marker).
	 */
	private record Bounds(int contentStart, int contentEnd) {

		static Bounds of(String markdown, String name) {
			String start = "<!-- generated:" + name + ":start -->";
			String end = "<!-- generated:" + name + ":end -->";
			int startIndex = markdown.indexOf(start);
			int endIndex = markdown.indexOf(end);
			if (startIndex < 0 || endIndex < startIndex) {
				throw new IllegalArgumentException("No section '" + name + "' marked with " + start + " and " + end);
			}
			return new Bounds(startIndex + start.length(), endIndex);
		}

	}

}
