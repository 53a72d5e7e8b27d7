package io.onsbridge.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireListTest {

    @Test
    void wrappedAndBareSayWhichTheyAre() {
        assertThat(WireList.wrapped("RegionDo", List.of()).bare()).isFalse();
        assertThat(WireList.bare("TagResource", List.of()).bare()).isTrue();
        assertThat(WireList.wrapped("RegionDo", List.of()).itemName()).isEqualTo("RegionDo");
    }

    @Test
    void itemsAreCopiedSoLaterChangesToTheSourceDoNotShow() {
        List<String> source = new ArrayList<>(List.of("a"));
        WireList list = WireList.wrapped("Tag", source);
        source.add("b");
        assertThat(list.items()).isEqualTo(List.of("a"));
    }

    @Test
    void nullItemsAreRejected() {
        assertThatThrownBy(() -> WireList.wrapped("Tag", Arrays.asList("a", null))).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> WireList.bare("Tag", Arrays.asList((Object) null))).isInstanceOf(NullPointerException.class);
    }
}
