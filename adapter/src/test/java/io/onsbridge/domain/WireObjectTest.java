package io.onsbridge.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireObjectTest {

    @Test
    void withNullLeavesTheFieldOut() {
        WireObject object = WireObject.of().with("A", "1").with("B", null);
        assertThat(object).containsOnlyKeys("A");
    }

    @Test
    void fieldsKeepTheirInsertionOrder() {
        WireObject object = WireObject.of().with("Zeta", 1).with("Alpha", 2L).with("Mid", true);
        assertThat(object.keySet()).containsExactly("Zeta", "Alpha", "Mid");
    }

    @Test
    void acceptsEveryWireValueType() {
        WireObject object = WireObject.of()
                .with("S", "s").with("L", 1L).with("D", new BigDecimal("1.5")).with("B", false)
                .with("O", WireObject.of()).with("List", WireList.wrapped("I", List.of()));
        assertThat(object).hasSize(6);
    }

    @Test
    void rejectsValuesThatAreNotWireValuesNamingTheField() {
        assertThatThrownBy(() -> WireObject.of().with("When", new Date()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("When");
        assertThatThrownBy(() -> WireObject.of().with("Items", List.of("a")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNameAddedAgainKeepsItsPlaceWithTheNewValue() {
        WireObject object = WireObject.of().with("A", 1).with("B", 2).with("A", 3);
        assertThat(object.keySet()).containsExactly("A", "B");
        assertThat(object.get("A")).isEqualTo(3);
        assertThat(object.nameAt(0)).isEqualTo("A");
        assertThat(object.valueAt(0)).isEqualTo(3);
    }

    @Test
    void growsPastItsFirstArraysAndReadsAsAnyMap() {
        WireObject object = WireObject.of();
        java.util.Map<String, Object> same = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            object.with("F" + i, i);
            same.put("F" + i, i);
        }
        assertThat(object).isEqualTo(same).hasSize(20).containsEntry("F19", 19).doesNotContainKey("F20");
        assertThat(object.hashCode()).isEqualTo(same.hashCode());
        assertThat(object.entrySet()).containsExactlyElementsOf(same.entrySet());
        java.util.List<String> walked = new java.util.ArrayList<>();
        object.forEach((name, value) -> walked.add(name + "=" + value));
        assertThat(walked).hasSize(20).startsWith("F0=0").endsWith("F19=19");
    }

    @Test
    void onlyWithAddsFields() {
        assertThatThrownBy(() -> WireObject.of().put("A", "1")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> WireObject.of().with("A", "1").remove("A")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(WireObject.of().with("A", "1").get("B")).isNull();
    }
}
