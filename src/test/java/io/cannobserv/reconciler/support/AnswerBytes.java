package io.cannobserv.reconciler.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Bodies no Watcher should send but a proxy, a broken server or a misconfigured gateway
 * may: binary pages, compressed bytes served raw, text in the wrong encoding.
 */
public final class AnswerBytes {

	private AnswerBytes() {
	}

	public static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * {@code length} bytes: every byte value first (NUL included), then a fixed
	 * pseudo-random sequence.
	 */
	public static byte[] binary(int length) {
		byte[] bytes = new byte[length];
		new Random(length).nextBytes(bytes);
		for (int i = 0; i < Math.min(256, length); i++) {
			bytes[i] = (byte) i;
		}
		return bytes;
	}

	/**
	 * {@code text} in UTF-8, gzip-compressed, as a server that compresses regardless
	 * sends it.
	 */
	public static byte[] gzip(String text) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
			out.write(utf8(text));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

}
