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
}
