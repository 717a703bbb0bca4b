// SPDX-License-Identifier: Apache-2.0
// Precision-scalable PE in the Bit Fusion style (Sharma et al., ISCA 2018): the mac_pe protocol
// (mac_pe.sv, docs/rtl.md) with a Fusion Unit (bf_fusion_unit.sv) as its multiplier, so each
// MAC adds one 8x8, the sum of four 4x4 or the sum of sixteen 2x2 signed products, chosen by
// prec (0: 8-bit, 1: 4-bit, 2: 2-bit). Operands are 32-bit words of packed lanes; the model
// that checks it is sim::CppPe with PeConfig::operand_bits.
module bf_pe #(
    parameter int ACC_BITS = 32
) (
    input  logic                       clk,
    input  logic                       rst,
    input  logic                       stationary,
    input  logic [1:0]                 prec,
    input  logic [31:0]                a_in,
    input  logic [31:0]                b_in,
    input  logic signed [ACC_BITS-1:0] psum_in,
    input  logic                       mac,
    input  logic                       last,
    input  logic                       shift,
    input  logic                       swap,
    output logic [31:0]                a_out,
    output logic [31:0]                b_out,
    output logic signed [ACC_BITS-1:0] psum_out,
    output logic signed [ACC_BITS-1:0] hold_out
);
  logic signed [ACC_BITS-1:0] acc_q;
  logic [31:0] stat_q;

  logic [31:0] stat_eff, mul_b;
  logic signed [15:0] fused;
  logic signed [ACC_BITS-1:0] addend, sum;
  assign stat_eff = swap ? b_out : stat_q;
  assign mul_b = stationary ? stat_eff : b_in;
  bf_fusion_unit u_fusion (.a(a_in), .b(mul_b), .prec(prec), .sum(fused));
  assign addend = stationary ? psum_in : acc_q;
  assign sum = addend + ACC_BITS'(fused);

  always_ff @(posedge clk) begin
    if (rst) begin
      a_out <= '0;
      b_out <= '0;
      psum_out <= '0;
      hold_out <= '0;
      acc_q <= '0;
      stat_q <= '0;
    end else begin
      a_out <= a_in;
      if (!stationary) begin
        b_out <= b_in;
        if (mac) begin
          if (last) hold_out <= sum;
          acc_q <= last ? '0 : sum;
        end
      end else begin
        if (swap) stat_q <= b_out;
        if (shift) b_out <= b_in;
        psum_out <= mac ? sum : psum_in;
      end
    end
  end
endmodule
