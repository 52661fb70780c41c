package io.github.gracefulshutdown.sample;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads. Strings, label matchers, ranges, Grafana
 * variables, grouping clauses and numbers are removed first; what is left and is neither
 * a function (followed by a parenthesis) nor a keyword is a metric name. Enough for the
 * expressions of a dashboard or a rules file, not a PromQL parser: a name the expression
 * hides (in {@code __name__} matchers, for example) is not found.
 */
final class PromQlMetricNames {

	private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");

	private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*}");

	private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");

	private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$\\{[^}]*}|\\$\\w+");

	private static final Pattern GROUPING = Pattern
		.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");

	private static final Pattern NUMBER = Pattern
		.compile("(?<![\\w:])\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?(?:ms|s|m|h|d|w|y)?(?![\\w:])");

	private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

	private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
			"ignoring", "group_left", "group_right", "inf", "nan", "Inf", "NaN");

	private PromQlMetricNames() {
	}

	/**
	 * Returns the metric names the given expression reads.
	 * @param expression a PromQL expression, Grafana variables allowed
	 * @return the metric names
	 */
	static Set<String> of(String expression) {
		String stripped = STRING.matcher(expression).replaceAll(" ");
		stripped = LABEL_MATCHERS.matcher(stripped).replaceAll(" ");
		stripped = RANGE.matcher(stripped).replaceAll(" ");
		stripped = GRAFANA_VARIABLE.matcher(stripped).replaceAll(" ");
		stripped = GROUPING.matcher(stripped).replaceAll(" ");
		stripped = NUMBER.matcher(stripped).replaceAll(" ");
		Set<String> names = new TreeSet<>();
		Matcher matcher = IDENTIFIER.matcher(stripped);
		while (matcher.find()) {
			if (!KEYWORDS.contains(matcher.group()) && !isFunctionName(stripped, matcher.end())) {
				names.add(matcher.group());
			}
		}
		return names;
	}

	private static boolean isFunctionName(String expression, int end) {
		int next = end;
		while (next < expression.length() && Character.isWhitespace(expression.charAt(next))) {
			next++;
		}
		return next < expression.length() && expression.charAt(next) == '(';
	}

}
