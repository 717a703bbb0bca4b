// SPDX-License-Identifier: Apache-2.0
// Signed multiply-accumulate PE for systolic arrays, the RTL of sim::CppPe (sim/pe_model.hpp).
// Port protocol and cycle semantics (docs/rtl.md): every input is sampled at the rising edge of
// clk, every output is a register. rst (synchronous) clears all registers.
//   stationary = 0, output-stationary: a and b pass to a_out/b_out; on mac the product a*b adds
//     to the accumulator; with last as well, the sum goes to hold_out and the accumulator clears.
//   stationary = 1, weight/input-stationary: a passes to a_out; on shift, b_in enters the shadow
//     register (b_out, the preload chain); on swap, the shadow becomes the stationary operand
//     before this cycle's MAC; psum_out = psum_in + a * stationary on mac, else psum_in.
// Products and sums wrap at ACC_BITS, two's complement.
module mac_pe #(
    parameter int OP_BITS  = 16,
    parameter int ACC_BITS = 32
) (
    input  logic                       clk,
    input  logic                       rst,
    input  logic                       stationary,
    input  logic signed [OP_BITS-1:0]  a_in,
    input  logic signed [OP_BITS-1:0]  b_in,
    input  logic signed [ACC_BITS-1:0] psum_in,
    input  logic                       mac,
    input  logic                       last,
    input  logic                       shift,
    input  logic                       swap,
    output logic signed [OP_BITS-1:0]  a_out,
    output logic signed [OP_BITS-1:0]  b_out,
    output logic signed [ACC_BITS-1:0] psum_out,
    output logic signed [ACC_BITS-1:0] hold_out
);
  logic signed [ACC_BITS-1:0] acc_q;
  logic signed [OP_BITS-1:0] stat_q;

  // One multiplier and one adder serve both modes.
  logic signed [OP_BITS-1:0] stat_eff, mul_b;
  logic signed [ACC_BITS-1:0] addend, product, sum;
  assign stat_eff = swap ? b_out : stat_q;
  assign mul_b = stationary ? stat_eff : b_in;
  assign addend = stationary ? psum_in : acc_q;
  assign product = ACC_BITS'(a_in) * ACC_BITS'(mul_b);
  assign sum = addend + product;

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
