package com.example.shop;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;

@Entity
@Table(name = "orders")
public class Order {

    @Id
    @GeneratedValue
    private Long id;
    private String customer;
    private BigDecimal total;
    private Instant placedAt = Instant.now();

    protected Order() {
    }

    public Order(String customer, BigDecimal total) {
        this.customer = customer;
        this.total = total;
    }

    public Long getId() { return id; }
    public String getCustomer() { return customer; }
    public BigDecimal getTotal() { return total; }
    public Instant getPlacedAt() { return placedAt; }
}
