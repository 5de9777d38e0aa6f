package io.dcf.proto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FunctionNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "0", "hello-dcf", "echo2", "a-b-c",
        "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij123"})
    void isValid_acceptsDns1123Labels(String name) {
        assertThat(FunctionNames.isValid(name)).as(name).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Hello", "hello_dcf", "-a", "a-", "a.b", "../etc", "a b", "é",
        "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij1234"})
    void isValid_refusesEverythingElse(String name) {
        assertThat(FunctionNames.isValid(name)).as(name).isFalse();
    }
}
