package io.dcf.build.service;

import java.security.SecureRandom;

/**
 * New build ids: 20 characters of {@code [a-z0-9]} (about 103 random bits), starting with a
 * letter, so one id is at once URL-safe, a valid image tag and part of a DNS-1123 name (a Job).
 */
final class BuildIds {

    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz";
    private static final String ALPHABET = LETTERS + "0123456789";
    private static final int LENGTH = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private BuildIds() {
    }

    static String next() {
        StringBuilder id = new StringBuilder(LENGTH);
        id.append(LETTERS.charAt(RANDOM.nextInt(LETTERS.length())));
        while (id.length() < LENGTH) {
            id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }
}
