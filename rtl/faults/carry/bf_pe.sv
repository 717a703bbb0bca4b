// SPDX-License-Identifier: Apache-2.0
// FAULT `carry` (loom cosim --fault carry): bf_pe.sv with an accumulator that drops the carry
// from bit 15 into bit 16 (two 16-bit half adders whose carry link is broken). Kept apart from
// the real PE so it can never be built into it; it exists to prove co-simulation catches it.
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
  // FAULT: the upper half adds without the lower half's carry out.
  logic signed [ACC_BITS-1:0] ext;
  assign ext = ACC_BITS'(fused);
  assign sum = {addend[ACC_BITS-1:16] + ext[ACC_BITS-1:16], addend[15:0] + ext[15:0]};

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
