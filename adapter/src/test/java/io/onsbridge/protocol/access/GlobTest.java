package io.onsbridge.protocol.access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GlobTest {

    @Test
    void literalMatchesOnlyItself() {
        Glob glob = new Glob("acs:mq:*:*:MQ_INST_a%Orders");
        assertThat(new Glob("mq:createtopic").matches("mq:createtopic")).isTrue();
        assertThat(new Glob("mq:createtopic").matches("mq:createtopics")).isFalse();
        assertThat(glob.isLiteral()).isFalse();
    }

    @Test
    void starMatchesAnyRunAlsoEmpty() {
        Glob glob = new Glob("acs:mq:*:*:MQ_INST_x*");
        assertThat(glob.matches("acs:mq:cn-hangzhou:000000000000:MQ_INST_x")).isTrue();
        assertThat(glob.matches("acs:mq:cn-hangzhou:000000000000:MQ_INST_xyz%Orders")).isTrue();
        assertThat(glob.matches("acs:mq:cn-hangzhou:000000000000:MQ_INST_y")).isFalse();
        assertThat(new Glob("mq:list*").matches("mq:listtopic")).isTrue();
        assertThat(new Glob("mq:list*").matches("mq:querytopicstatus")).isFalse();
        assertThat(new Glob("*").matches("")).isTrue();
        assertThat(new Glob("a*b*c").matches("aXXbYYbc")).isTrue();
        assertThat(new Glob("a*b*c").matches("aXXbYYbcd")).isFalse();
    }

    @Test
    void questionMarkMatchesExactlyOneCharacter() {
        assertThat(new Glob("T?").matches("T1")).isTrue();
        assertThat(new Glob("T?").matches("T")).isFalse();
        assertThat(new Glob("T?").matches("T12")).isFalse();
    }

    @Test
    void caseIsCompared() {
        assertThat(new Glob("Orders*").matches("orders")).isFalse();
    }

    @Test
    void matchesEverythingOnlyForStars() {
        assertThat(new Glob("*").matchesEverything()).isTrue();
        assertThat(new Glob("**").matchesEverything()).isTrue();
        assertThat(new Glob("*a").matchesEverything()).isFalse();
        assertThat(new Glob("").matchesEverything()).isFalse();
    }

    @Test
    void someExtensionOfAPrefix() {
        assertThat(new Glob("MQ_INST_x%Orders").matchesSomeExtensionOf("MQ_INST_x%")).isTrue();
        assertThat(new Glob("MQ_INST_x*").matchesSomeExtensionOf("MQ_INST_xyz%")).isTrue();
        assertThat(new Glob("MQ_INST_x%Orders").matchesSomeExtensionOf("MQ_INST_y%")).isFalse();
        assertThat(new Glob("MQ_INST_?%T").matchesSomeExtensionOf("MQ_INST_a%")).isTrue();
    }

    @Test
    void everyExtensionOfAPrefix() {
        assertThat(new Glob("MQ_INST_x*").matchesEveryExtensionOf("MQ_INST_x%")).isTrue();
        assertThat(new Glob("MQ_INST_x%*").matchesEveryExtensionOf("MQ_INST_x%")).isTrue();
        assertThat(new Glob("MQ_INST_x%O*").matchesEveryExtensionOf("MQ_INST_x%")).isFalse();
        assertThat(new Glob("mq:*").matchesEveryExtensionOf("mq:")).isTrue();
        assertThat(new Glob("mq:list*").matchesEveryExtensionOf("mq:")).isFalse();
    }

    @Test
    void aTrailingStarIsAPrefixPattern() {
        assertThat(new Glob("MQ_INST_x*").prefixOnly()).isEqualTo("MQ_INST_x");
        assertThat(new Glob("MQ_INST_x%*").prefixOnly()).isEqualTo("MQ_INST_x%");
        assertThat(new Glob("MQ_*_x*").prefixOnly()).isNull();
        assertThat(new Glob("MQ_?*").prefixOnly()).isNull();
        assertThat(new Glob("MQ").prefixOnly()).isNull();
    }
}
